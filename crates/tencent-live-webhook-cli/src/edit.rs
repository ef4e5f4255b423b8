//! `send --set PATH=VALUE`: change one value of a JSON body, keeping every other value
//! exactly as written (integers beyond 64 bits and number spellings included).

use std::fmt::{self, Write};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// One `--set`: where, and the JSON text to put there.
#[derive(Debug, Clone)]
pub(crate) struct Assignment {
    path: Vec<Step>,
    path_text: String,
    value: String,
}

/// One step of a path: a member of an object, or an element of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Member(String),
    Element(usize),
}

/// Reads `PATH=VALUE`; VALUE is JSON when it parses as JSON, otherwise a string.
pub(crate) fn parse_assignment(text: &str) -> Result<Assignment, String> {
    let (path_text, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: expected PATH=VALUE"))?;
    let path = parse_path(path_text)?;
    let value = match serde_json::from_str::<&RawValue>(value) {
        Ok(json) => json.get().to_owned(),
        Err(_) => serde_json::to_string(value).map_err(|error| error.to_string())?,
    };
    Ok(Assignment {
        path,
        path_text: path_text.to_owned(),
        value,
    })
}

/// `Name.Name[0].Name`: members separated by dots, elements as `[N]` after a member.
fn parse_path(text: &str) -> Result<Vec<Step>, String> {
    let bad = |why: &str| format!("path {text:?}: {why}");
    let mut steps = Vec::new();
    for part in text.split('.') {
        let (name, mut indexes) = part.split_at(part.find('[').unwrap_or(part.len()));
        if name.is_empty() {
            return Err(bad("a member name is empty"));
        }
        steps.push(Step::Member(name.to_owned()));
        while !indexes.is_empty() {
            let inner = indexes
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'))
                .ok_or_else(|| bad("expected [N] after a name"))?;
            let (digits, rest) = inner;
            if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err(bad(&format!("[{digits}] is not an index")));
            }
            let index = digits
                .parse()
                .map_err(|_| bad(&format!("[{digits}] is too large")))?;
            steps.push(Step::Element(index));
            indexes = rest;
        }
    }
    Ok(steps)
}

/// `body` with every assignment made, in order, written compact.
pub(crate) fn apply(body: &[u8], assignments: &[Assignment]) -> Result<Vec<u8>, String> {
    let mut text = std::str::from_utf8(body)
        .map_err(|_| "--set: the body is not UTF-8 text".to_owned())?
        .to_owned();
    for assignment in assignments {
        text = set(&text, &assignment.path, &assignment.value, "")
            .map_err(|why| format!("--set {}: {why}", assignment.path_text))?;
    }
    let raw = tencent_live_webhook::RawJson::from_string(text)
        .map_err(|error| format!("--set: the result is not JSON: {error}"))?;
    Ok(raw.compact().into_owned().into_bytes())
}

/// `json` with the value at `path` replaced by (or, for a missing member, set to) `value`;
/// `walked` is the path that led to `json` (empty for the body itself).
fn set(json: &str, path: &[Step], value: &str, walked: &str) -> Result<String, String> {
    let Some((step, rest)) = path.split_first() else {
        return Ok(value.to_owned());
    };
    let node: Node = serde_json::from_str(json)
        .map_err(|error| format!("{} is not JSON: {error}", shown(walked)))?;
    match (step, node) {
        (Step::Member(name), Node::Object(mut members)) => {
            let here = member_path(walked, name);
            let mut found = false;
            for (key, member) in &mut members {
                if key == name {
                    *member = set(member, rest, value, &here)?;
                    found = true;
                }
            }
            if !found {
                members.push((name.clone(), create(rest, value, &here)?));
            }
            let mut out = String::from("{");
            for (index, (key, member)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                let key = serde_json::to_string(key).map_err(|error| error.to_string())?;
                let _ = write!(out, "{key}:{member}");
            }
            out.push('}');
            Ok(out)
        }
        (Step::Element(index), Node::Array(mut elements)) => {
            let here = format!("{walked}[{index}]");
            let count = elements.len();
            let element = elements.get_mut(*index).ok_or_else(|| {
                format!(
                    "{} has {count} element(s): [{index}] is out of range",
                    shown(walked)
                )
            })?;
            *element = set(element, rest, value, &here)?;
            Ok(format!("[{}]", elements.join(",")))
        }
        (Step::Member(name), other) => Err(format!(
            "{} is {}, so it has no member {name:?}",
            shown(walked),
            other.kind()
        )),
        (Step::Element(index), other) => Err(format!(
            "{} is {}, so it has no element [{index}]",
            shown(walked),
            other.kind()
        )),
    }
}

/// The value for a path that does not exist yet: objects are made, arrays are not.
fn create(path: &[Step], value: &str, walked: &str) -> Result<String, String> {
    match path.split_first() {
        None => Ok(value.to_owned()),
        Some((Step::Member(name), rest)) => {
            let here = member_path(walked, name);
            let key = serde_json::to_string(name).map_err(|error| error.to_string())?;
            Ok(format!("{{{key}:{}}}", create(rest, value, &here)?))
        }
        Some((Step::Element(index), _)) => Err(format!(
            "{} does not exist, so it has no element [{index}] (only objects are created)",
            shown(walked)
        )),
    }
}

/// The path of member `name` of the value at `walked`.
fn member_path(walked: &str, name: &str) -> String {
    if walked.is_empty() {
        name.to_owned()
    } else {
        format!("{walked}.{name}")
    }
}

/// How a path is named in an error.
fn shown(walked: &str) -> &str {
    if walked.is_empty() {
        "the body"
    } else {
        walked
    }
}

/// One JSON value, its members or elements kept as their exact text.
enum Node {
    Object(Vec<(String, String)>),
    Array(Vec<String>),
    Other(&'static str),
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Node::Object(_) => "an object",
            Node::Array(_) => "an array",
            Node::Other(kind) => kind,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

#[allow(clippy::unnecessary_wraps)] // the shape every `visit_*` returns
fn other<E>(kind: &'static str) -> Result<Node, E> {
    Ok(Node::Other(kind))
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
            members.push((key, value.get().to_owned()));
        }
        Ok(Node::Object(members))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut elements = Vec::new();
        while let Some(value) = seq.next_element::<&'de RawValue>()? {
            elements.push(value.get().to_owned());
        }
        Ok(Node::Array(elements))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
        other("a string")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        other("true or false")
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        other("a number")
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        other("a number")
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        other("a number")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        other("null")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(body: &str, sets: &[&str]) -> Result<String, String> {
        let assignments = sets
            .iter()
            .map(|text| parse_assignment(text))
            .collect::<Result<Vec<_>, _>>()?;
        apply(body.as_bytes(), &assignments).map(|out| String::from_utf8(out).unwrap())
    }

    #[test]
    fn values_are_json_when_they_parse_and_strings_otherwise() {
        let body = r#"{"A": {"B": 1}}"#;
        for (value, wanted) in [
            ("6000", "6000"),
            ("r9", r#""r9""#),
            (r#""6000""#, r#""6000""#),
            ("true", "true"),
            ("null", "null"),
            ("[1, 2]", "[1, 2]"),
            ("", r#""""#),
            ("a\"b", r#""a\"b""#),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567890",
            ),
        ] {
            let out = edit(body, &[&format!("A.B={value}")]).unwrap();
            let wanted =
                tencent_live_webhook::RawJson::from_string(format!(r#"{{"A":{{"B":{wanted}}}}}"#))
                    .unwrap();
            assert_eq!(out, wanted.compact(), "{value}");
        }
    }

    #[test]
    fn nested_members_and_elements_change_and_the_rest_stays() {
        let body = r#"{"Big": 123456789012345678901234567890, "F": 1.50,
            "MemberList": [{"Member_Account": "u1", "X": 1e3}, {"Member_Account": "u2"}],
            "GiftWater": {"Coins": 10, "Name": "rose"}}"#;
        let out = edit(
            body,
            &[
                "GiftWater.Coins=6000",
                "MemberList[1].Member_Account=u7",
                "RoomInfo.RoomId=r9",
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"Big":123456789012345678901234567890,"F":1.50,"MemberList":[{"Member_Account":"u1","X":1e3},{"Member_Account":"u7"}],"GiftWater":{"Coins":6000,"Name":"rose"},"RoomInfo":{"RoomId":"r9"}}"#
        );
        assert_eq!(
            edit("[[1,2],[3]]", &["x=1"]).unwrap_err(),
            "--set x: the body is an array, so it has no member \"x\""
        );
    }

    #[test]
    fn bad_paths_are_refused_with_where_and_why() {
        let body = r#"{"L": [{"A": 1}], "S": "text", "O": {}}"#;
        for (set, why) in [
            ("L[1].A=2", "L has 1 element(s): [1] is out of range"),
            (
                "L[0].A.B=2",
                "L[0].A is a number, so it has no member \"B\"",
            ),
            ("S.X=1", "S is a string, so it has no member \"X\""),
            ("O[0]=1", "O is an object, so it has no element [0]"),
            (
                "New[0]=1",
                "New does not exist, so it has no element [0] (only objects are created)",
            ),
            ("L.A=1", "L is an array, so it has no member \"A\""),
        ] {
            let error = edit(body, &[set]).unwrap_err();
            assert!(error.ends_with(why), "{set}: {error}");
        }
        for bad in [
            "=1",
            "A..B=1",
            ".A=1",
            "A.=1",
            "A[=1",
            "A[x]=1",
            "A[]=1",
            "A[1]x=1",
            "A",
            "A[99999999999999999999999]=1",
        ] {
            assert!(parse_assignment(bad).is_err(), "{bad}");
        }
        assert!(edit("not json", &["A=1"]).is_err());
    }
}
