//! People as the API shows them beside what they wrote.

use serde::Serialize;

/// Who wrote something. Anonymous callers are not told: the name is
/// "A member" and there is no handle.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Author {
    pub name: String,
    /// Their `@handle` (without the `@`), or null.
    pub handle: Option<String>,
}

impl Author {
    pub fn new(name: &str, handle: &str) -> Author {
        Author {
            name: name.to_string(),
            handle: (!handle.is_empty()).then(|| handle.to_string()),
        }
    }
}
