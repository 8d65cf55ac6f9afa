//! People: profiles and their visibility, editing, photos, service areas,
//! the people finder, "people like me", recommendations and the index.

mod edit;
mod finder;
mod index;
mod onboarding;
mod profile;
mod service_areas;
mod similar;
