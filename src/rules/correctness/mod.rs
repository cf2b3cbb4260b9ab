//! Correctness: structure and transitions that AWS rejects or that cannot work.

include!(concat!(env!("OUT_DIR"), "/rules_mod_correctness.rs"));
