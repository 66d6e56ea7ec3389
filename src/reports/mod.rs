//! Reports made from records rather than from one 公文: the monthly 台账,
//! the quarterly summary, the archive package and the 发文登记簿.

pub mod archive;
pub mod ledger;
pub mod register_book;
pub mod summary;
