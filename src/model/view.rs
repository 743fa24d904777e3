//! What a stream record carries (its view type) and which change it describes (its event name).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewType {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

impl ViewType {
    pub const ALL: [ViewType; 4] =
        [ViewType::KeysOnly, ViewType::NewImage, ViewType::OldImage, ViewType::NewAndOldImages];

    pub fn parse(s: &str) -> Option<ViewType> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ViewType::KeysOnly => "KEYS_ONLY",
            ViewType::NewImage => "NEW_IMAGE",
            ViewType::OldImage => "OLD_IMAGE",
            ViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }
    pub fn has_new(self) -> bool {
        matches!(self, ViewType::NewImage | ViewType::NewAndOldImages)
    }
    pub fn has_old(self) -> bool {
        matches!(self, ViewType::OldImage | ViewType::NewAndOldImages)
    }
    /// One line for learners: what a record of this type carries.
    pub fn describe(self) -> &'static str {
        match self {
            ViewType::KeysOnly => "Only the key attributes of the changed item.",
            ViewType::NewImage => "The whole item as it is after the change (none on a delete).",
            ViewType::OldImage => "The whole item as it was before the change (none on an insert).",
            ViewType::NewAndOldImages => "Both the item after and before the change.",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventName {
    Insert,
    Modify,
    Remove,
}

impl EventName {
    pub fn as_str(self) -> &'static str {
        match self {
            EventName::Insert => "INSERT",
            EventName::Modify => "MODIFY",
            EventName::Remove => "REMOVE",
        }
    }
}
