//! The 公文签批单 (发文稿纸, spec §8): who signed, reviewed and drafted.

use serde::Deserialize;

use super::date::Date;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Form title; default “{发文机关}公文签批单”.
    #[serde(default)]
    pub title: Option<String>,
    /// 文件标题 on the form, when it differs from the 公文's title (the
    /// title of the document an 印发 notice prints).
    #[serde(default)]
    pub doc_title: Option<String>,
    /// 签发.
    #[serde(default)]
    pub sign: Option<Opinion>,
    /// 审签 / 会签.
    #[serde(default)]
    pub countersign: Vec<Opinion>,
    /// 各级审核 (党政办主任审核, 文秘室审核 …).
    #[serde(default)]
    pub reviews: Vec<Opinion>,
    /// 会审意见.
    #[serde(default)]
    pub joint_opinion: Option<String>,
    /// 拟办单位 (拟稿单位).
    #[serde(default)]
    pub drafting_unit: Option<String>,
    /// 核稿人（部门负责人）.
    #[serde(default)]
    pub checker: Option<String>,
    /// 拟稿人.
    #[serde(default)]
    pub drafter: Option<String>,
    /// 公文属性: 主动公开 / 依申请公开 / 不予公开 (免予公开 = 不予公开).
    #[serde(default)]
    pub disclosure: Option<String>,
    /// 理由, required for 依申请公开 and 不予公开 (GW-K-04).
    #[serde(default)]
    pub reason: Option<String>,
}

/// One signature or review cell.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Opinion {
    /// Cell label, e.g. “签发（主要领导）”, “文秘室审核”.
    #[serde(default)]
    pub label: Option<String>,
    /// 意见.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
}

impl Approval {
    /// The 公开属性 normalised, or an error message.
    pub fn disclosure(&self) -> Result<Option<&'static str>, String> {
        let Some(d) = self
            .disclosure
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        else {
            return Ok(None);
        };
        let value = match d {
            "主动公开" => "主动公开",
            "依申请公开" => "依申请公开",
            "不予公开" | "免予公开" => "不予公开",
            other => {
                return Err(format!(
                    "公文属性“{other}”不对：只能是 主动公开、依申请公开 或 不予公开。"
                ))
            }
        };
        let has_reason = self.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
        if value != "主动公开" && !has_reason {
            return Err(format!(
                "公文属性为“{value}”时必须写明理由（reason）（GW-K-04）。"
            ));
        }
        Ok(Some(value))
    }
}
