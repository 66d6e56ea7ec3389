//! The 公文签批单 (发文稿纸, GW-K-01..05): its cells from the notice's
//! `approval` part and from the notice itself.

use super::build::Builder;
use super::{ApprovalForm, Header, Opinion};
use crate::model::approval::{Approval, Opinion as OpinionIn};
use crate::model::notice::Notice;
use crate::typeset::fonts::Role;

/// 公开属性 (GW-K-04).
const DISCLOSURES: [&str; 4] = ["主动公开", "依申请公开", "不予公开", "免予公开"];

impl Builder<'_> {
    /// The 签批单 data; empty cells stay empty. The 发文字号 is the one
    /// printed on the notice (set again once the register gives it).
    pub(super) fn approval(
        &mut self,
        a: &Approval,
        n: &Notice,
        title: &str,
        h: &Header,
    ) -> ApprovalForm {
        if let Err(e) = a.disclosure() {
            let path = if a
                .disclosure
                .as_deref()
                .is_some_and(|d| DISCLOSURES.contains(&d.trim()))
            {
                "approval.reason"
            } else {
                "approval.disclosure"
            };
            self.error(
                path,
                e,
                "公文属性写 主动公开、依申请公开 或 不予公开；后两者在 reason 写明理由。",
            );
        }
        let sign = self.opinion("approval.sign", &a.sign.clone().unwrap_or_default(), "签发");
        let countersign = a
            .countersign
            .iter()
            .enumerate()
            .map(|(i, o)| self.opinion(&format!("approval.countersign[{i}]"), o, "会签"))
            .collect();
        let reviews = a
            .reviews
            .iter()
            .enumerate()
            .map(|(i, o)| self.opinion(&format!("approval.reviews[{i}]"), o, "审核"))
            .collect();
        let title_text = match &a.title {
            Some(t) => self.text("approval.title", Role::XiaoBiaoSong, t),
            None => format!(
                "{}公文签批单",
                h.issuer_names
                    .first()
                    .map(|s| s.trim_end_matches("文件"))
                    .unwrap_or("")
            ),
        };
        ApprovalForm {
            fonts: self.fonts.role_fonts(),
            title: title_text,
            sign,
            countersign,
            reviews,
            joint_opinion: self.cell("approval.joint_opinion", &a.joint_opinion),
            drafting_unit: self.cell("approval.drafting_unit", &a.drafting_unit),
            checker: self.cell("approval.checker", &a.checker),
            drafter: self.cell("approval.drafter", &a.drafter),
            copies: n.copies.map(|c| c.to_string()).unwrap_or_default(),
            doc_title: match &a.doc_title {
                Some(t) => self.text("approval.doc_title", Role::Fang, t),
                None => title.to_string(),
            },
            number: h.number.clone().unwrap_or_default(),
            secrecy: h.secrecy.clone().unwrap_or_default(),
            urgency: h.urgency.clone().unwrap_or_default(),
            disclosure: a.disclosure().ok().flatten().unwrap_or("").to_string(),
            reason: self.cell("approval.reason", &a.reason),
        }
    }

    fn cell(&mut self, path: &str, s: &Option<String>) -> String {
        self.text(path, Role::Fang, s.as_deref().unwrap_or(""))
    }

    fn opinion(&mut self, path: &str, o: &OpinionIn, label: &str) -> Opinion {
        Opinion {
            label: self.text(
                &format!("{path}.label"),
                Role::Hei,
                o.label.as_deref().unwrap_or(label),
            ),
            text: self.text(
                &format!("{path}.text"),
                Role::Kai,
                o.text.as_deref().unwrap_or(""),
            ),
            name: self.text(
                &format!("{path}.name"),
                Role::Kai,
                o.name.as_deref().unwrap_or(""),
            ),
            date: o.date.map(|d| d.chinese()).unwrap_or_default(),
        }
    }
}
