use crate::extract::Visitor;
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "pages/accessibility.html")]
pub struct AccessibilityPage {
    layout: Layout,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/privacy.html")]
pub struct PrivacyPage {
    layout: Layout,
}

pub async fn accessibility(v: Visitor) -> AccessibilityPage {
    AccessibilityPage {
        layout: Layout::new(&v, "Accessibility statement"),
    }
}

pub async fn privacy(v: Visitor) -> PrivacyPage {
    PrivacyPage {
        layout: Layout::new(&v, "Privacy notice"),
    }
}
