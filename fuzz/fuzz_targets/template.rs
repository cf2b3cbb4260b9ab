//! Template extraction (CloudFormation, SAM, Serverless, Terraform) on arbitrary text: the
//! first byte picks the front end so one corpus covers all of them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sfn_lint::syntax::{self, Format};
use sfn_lint::template;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 3 {
        0 | 1 => {
            let format = if which % 3 == 0 {
                Format::Json
            } else {
                Format::Yaml
            };
            let Ok(doc) = syntax::parse(text, format) else {
                return;
            };
            if let Some(kind) = template::kind(&doc) {
                for m in template::extract(&doc, text, kind) {
                    std::hint::black_box(&m);
                }
            }
            let _ = template::machines_in(
                if format == Format::Json {
                    "t.json"
                } else {
                    "t.yaml"
                },
                text,
            );
        }
        _ => {
            let _ = template::terraform::extract(text);
            let _ = template::machines_in("main.tf", text);
        }
    }
});
