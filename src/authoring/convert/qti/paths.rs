//! Paths inside a content package: zip entry names and manifest hrefs made clean relative
//! paths, and anything that would leave the package (`..`, absolute paths, URLs) refused.

/// A zip entry name as a clean relative path, or `None` when it would leave the package.
pub(super) fn normalize(name: &str) -> Option<String> {
    let name = name.replace('\\', "/");
    if name.starts_with('/')
        || name.as_bytes().get(1) == Some(&b':')
        || name.chars().any(char::is_control)
    {
        return None;
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// An href (percent-encoded, relative to `folder`) as a package path; `None` when it leaves
/// the package or is absolute.
pub(super) fn resolve(folder: &str, href: &str) -> Option<String> {
    let href = percent_decode(href.trim());
    if href.contains("://") || href.starts_with('/') {
        return None;
    }
    let href = href.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = Vec::new();
    for part in folder.split('/').chain(href.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_never_leave_the_package() {
        assert_eq!(normalize("items/q1.xml").as_deref(), Some("items/q1.xml"));
        assert_eq!(
            normalize("./items\\q1.xml").as_deref(),
            Some("items/q1.xml")
        );
        assert_eq!(normalize("../evil.xml"), None);
        assert_eq!(normalize("items/../../evil.xml"), None);
        assert_eq!(normalize("/etc/passwd"), None);
        assert_eq!(normalize("C:/x.xml"), None);
    }

    #[test]
    fn hrefs_resolve_inside_the_package() {
        assert_eq!(
            resolve("", "items/q%201.xml").as_deref(),
            Some("items/q 1.xml")
        );
        assert_eq!(
            resolve("tests/", "../items/q1.xml").as_deref(),
            Some("items/q1.xml")
        );
        assert_eq!(resolve("", "../q1.xml"), None);
        assert_eq!(resolve("", "https://example.org/q1.xml"), None);
    }
}
