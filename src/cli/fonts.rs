use clap::Args;
use gongwen::typeset::fonts::{FontSet, Role};

use super::EngineArgs;

#[derive(Args)]
pub struct FontsArgs {
    #[command(flatten)]
    engine: EngineArgs,
}

pub fn run(a: FontsArgs) -> gongwen::Result<i32> {
    let set = FontSet::load(&a.engine.options().fonts).map_err(gongwen::Error::Other)?;
    let mut rows: Vec<(String, &gongwen::typeset::fonts::RoleFace)> = Role::ALL
        .iter()
        .map(|r| (r.label().to_string(), set.role(*r)))
        .collect();
    for fb in &set.style_fallbacks {
        rows.push((format!("{}生僻字备用", fb.role.label()), fb));
    }
    if let Some(fb) = &set.fallback {
        rows.push(("生僻字备用（所有角色）".to_string(), fb));
    }
    for (label, face) in rows {
        let ((g1, t1), (g2, t2)) = set.coverage(face.index);
        println!("{label}");
        println!(
            "  字体：{}{}（字重 {}）",
            face.family,
            if face.genuine {
                "【正版字体】"
            } else {
                "【替代字体】"
            },
            face.weight
        );
        println!("  来源：{}  {}", face.origin.label(), face.path.display());
        println!("  覆盖：GB2312 汉字 {g1}/{t1}，GBK 汉字 {g2}/{t2}");
    }
    Ok(0)
}
