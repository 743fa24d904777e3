//! The data model: AWS errors, DynamoDB numbers, attribute values and items, keys, the compact
//! item images of stream records, stream view types. Depends only on `support`.
mod error;
mod image;
mod keys;
mod number;
mod value;
mod view;

pub use error::{AwsError, ErrorKind, Result};
pub(crate) use image::PLAIN;
pub use image::{json_str, Image, ImageBytes};
pub(crate) use keys::{check_key_sizes, key_len, key_value};
pub use keys::{KeyAttr, KeySchema, KeyType, KeyVal, PrimaryKey};
pub use number::Number;
pub use value::{
    attr, attr_mut, b64_encode, item_from, item_from_json, item_size, item_to_json, AttributeValue, Item, Json,
    MAX_ITEM_SIZE,
};
pub use view::{EventName, ViewType};
