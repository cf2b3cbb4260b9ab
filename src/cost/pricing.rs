//! Prices, from `data/pricing.toml` (compiled in, so a report never depends on the network or
//! on where the binary runs). Each number in that file names its source and date.

use std::collections::BTreeMap;

use serde::Deserialize;

const PRICING_TOML: &str = include_str!("../../data/pricing.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    pub currency: String,
    /// When the prices were last checked against AWS's page.
    pub checked: String,
    pub standard: Standard,
    pub express: Express,
    pub regions: BTreeMap<String, Region>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub free_transitions_per_month: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Express {
    pub per_request: f64,
    pub memory_step_mb: f64,
    pub duration_step_ms: f64,
    pub base_memory_mb: f64,
    pub tiers: Vec<Tier>,
    pub verified_regions: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The cumulative monthly GB-hours this tier ends at; None for the last tier.
    pub up_to_gb_hours: Option<f64>,
    pub per_gb_hour: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    pub per_1000_transitions: f64,
}

impl Pricing {
    /// The bundled price table.
    pub fn bundled() -> Pricing {
        // The file is compiled into the binary and the `bundled_table_loads_and_tiers_add_up`
        // test parses it, so failing here is a build defect, never bad input.
        toml::from_str(PRICING_TOML).expect("data/pricing.toml is valid")
    }

    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.get(code)
    }

    /// Whether the Express rates were verified for this region.
    pub fn express_verified(&self, code: &str) -> bool {
        self.express.verified_regions.iter().any(|r| r == code)
    }

    /// The price of `gb_hours` of Express duration in one month, through the tiers.
    pub fn express_duration_cost(&self, gb_hours: f64) -> f64 {
        tiered_cost(&self.express.tiers, gb_hours)
    }
}

/// The price of `gb_hours` in one month through cumulative tiers (the last has no bound).
pub fn tiered_cost(tiers: &[Tier], gb_hours: f64) -> f64 {
    let mut cost = 0.0;
    let mut from = 0.0;
    for tier in tiers {
        let to = tier.up_to_gb_hours.unwrap_or(f64::INFINITY);
        if gb_hours <= from {
            break;
        }
        cost += (gb_hours.min(to) - from) * tier.per_gb_hour;
        from = to;
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_loads_and_tiers_add_up() {
        let p = Pricing::bundled();
        assert_eq!(p.region("us-east-1").unwrap().per_1000_transitions, 0.025);
        assert_eq!(p.region("sa-east-1").unwrap().per_1000_transitions, 0.0375);
        assert!(p.express_verified("us-east-1") && !p.express_verified("eu-west-1"));
        // 1,000 GB-h at $0.06 + 4,000 at $0.03 + 1,000 at $0.01642.
        let c = p.express_duration_cost(6000.0);
        assert!((c - (60.0 + 120.0 + 16.42)).abs() < 1e-9, "{c}");
        assert!((p.express_duration_cost(500.0) - 30.0).abs() < 1e-9);
        assert_eq!(p.express_duration_cost(0.0), 0.0);
    }
}
