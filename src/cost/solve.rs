//! Expected visits in an absorbing Markov chain: `v = start + Pᵀ v`, solved one strongly
//! connected component at a time in topological order. A component is solved exactly by
//! Gaussian elimination with partial pivoting (dense, since loops in workflows are small);
//! very large components fall back to Gauss–Seidel iteration.

use petgraph::graph::DiGraph;

/// Largest component solved densely (its cost grows with the cube of its size).
const DENSE_LIMIT: usize = 1500;

/// The chain never leaves these states with the given probabilities.
#[derive(Clone, Debug, PartialEq)]
pub struct NoExit(pub Vec<usize>);

/// `edges[i]` lists `(j, p)`: from state i the chain moves to j with probability p (what is
/// missing from 1 leaves the chain). Returns the expected visits of every state.
pub fn visits(n: usize, start: usize, edges: &[Vec<(usize, f64)>]) -> Result<Vec<f64>, NoExit> {
    let mut g: DiGraph<usize, ()> = DiGraph::with_capacity(n, n);
    let nodes: Vec<_> = (0..n).map(|i| g.add_node(i)).collect();
    for (i, out) in edges.iter().enumerate() {
        for &(j, p) in out {
            if p > 0.0 {
                g.add_edge(nodes[i], nodes[j], ());
            }
        }
    }
    let mut inflow = vec![0.0; n];
    inflow[start] = 1.0;
    let mut v = vec![0.0; n];
    // kosaraju_scc (iterative: a long chain cannot overflow the stack, as tarjan_scc's
    // recursion did) yields components in reverse topological order.
    let sccs = petgraph::algo::kosaraju_scc(&g);
    let mut comp = vec![usize::MAX; n];
    for scc in sccs.iter().rev() {
        let members: Vec<usize> = scc.iter().map(|x| g[*x]).collect();
        for (k, &m) in members.iter().enumerate() {
            comp[m] = k;
        }
        let solved = solve_component(&members, &comp, &inflow, edges)?;
        for (k, &m) in members.iter().enumerate() {
            v[m] = solved[k];
        }
        for &m in &members {
            for &(j, p) in &edges[m] {
                if comp[j] == usize::MAX {
                    inflow[j] += v[m] * p;
                }
            }
        }
        for &m in &members {
            comp[m] = usize::MAX;
        }
    }
    Ok(v)
}

fn solve_component(
    members: &[usize],
    comp: &[usize],
    inflow: &[f64],
    edges: &[Vec<(usize, f64)>],
) -> Result<Vec<f64>, NoExit> {
    let k = members.len();
    let b: Vec<f64> = members.iter().map(|m| inflow[*m]).collect();
    // Probability of staying inside the component, per edge.
    let inner = |i: usize| {
        edges[members[i]]
            .iter()
            .filter(|(j, _)| comp[*j] != usize::MAX)
            .map(|(j, p)| (comp[*j], *p))
    };
    if k == 1 {
        let stay: f64 = inner(0).map(|(_, p)| p).sum();
        if stay >= 1.0 - 1e-12 {
            return if b[0] == 0.0 {
                Ok(vec![0.0])
            } else {
                Err(NoExit(members.to_vec()))
            };
        }
        return Ok(vec![b[0] / (1.0 - stay)]);
    }
    if b.iter().all(|x| *x == 0.0) {
        return Ok(vec![0.0; k]);
    }
    if k <= DENSE_LIMIT {
        // (I − Pᵀ) v = b, row r is the balance of state r.
        let mut a = vec![0.0; k * k];
        for r in 0..k {
            a[r * k + r] = 1.0;
        }
        for i in 0..k {
            for (j, p) in inner(i) {
                a[j * k + i] -= p;
            }
        }
        let mut x = b.clone();
        for col in 0..k {
            let piv = (col..k)
                .max_by(|&r1, &r2| a[r1 * k + col].abs().total_cmp(&a[r2 * k + col].abs()))
                .unwrap_or(col);
            if a[piv * k + col].abs() < 1e-12 {
                return Err(NoExit(members.to_vec()));
            }
            if piv != col {
                for c in 0..k {
                    a.swap(piv * k + c, col * k + c);
                }
                x.swap(piv, col);
            }
            let d = a[col * k + col];
            for r in col + 1..k {
                let f = a[r * k + col] / d;
                if f != 0.0 {
                    for c in col..k {
                        a[r * k + c] -= f * a[col * k + c];
                    }
                    x[r] -= f * x[col];
                }
            }
        }
        for col in (0..k).rev() {
            let mut s = x[col];
            for c in col + 1..k {
                s -= a[col * k + c] * x[c];
            }
            x[col] = s / a[col * k + col];
        }
        if x.iter().any(|v| !v.is_finite() || *v < -1e-9) {
            return Err(NoExit(members.to_vec()));
        }
        return Ok(x.into_iter().map(|v| v.max(0.0)).collect());
    }
    // Gauss–Seidel on the incoming form: v_i = (b_i + Σ_j p_ji v_j) / (1 − p_ii).
    let mut incoming: Vec<Vec<(usize, f64)>> = vec![Vec::new(); k];
    let mut selfp = vec![0.0; k];
    for (i, sp) in selfp.iter_mut().enumerate() {
        for (j, p) in inner(i) {
            if j == i {
                *sp += p;
            } else {
                incoming[j].push((i, p));
            }
        }
    }
    let mut x = vec![0.0; k];
    for _ in 0..100_000 {
        let mut change: f64 = 0.0;
        let mut scale: f64 = 1e-300;
        for i in 0..k {
            let s: f64 = b[i] + incoming[i].iter().map(|(j, p)| p * x[*j]).sum::<f64>();
            let nv = s / (1.0 - selfp[i]).max(1e-300);
            change = change.max((nv - x[i]).abs());
            scale = scale.max(nv.abs());
            x[i] = nv;
        }
        if !scale.is_finite() || scale > 1e300 {
            break;
        }
        if change <= 1e-13 * scale {
            return Ok(x);
        }
    }
    Err(NoExit(members.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_visited_once() {
        let e = vec![vec![(1, 1.0)], vec![(2, 1.0)], vec![]];
        assert_eq!(visits(3, 0, &e).unwrap(), vec![1.0, 1.0, 1.0]);
    }

    #[test]
    fn a_loop_with_exit_probability_p_runs_1_over_p_times() {
        // 0 → 1, 1 → 0 with 0.75, exits with 0.25: 4 visits each.
        let e = vec![vec![(1, 1.0)], vec![(0, 0.75)]];
        let v = visits(2, 0, &e).unwrap();
        assert!(
            (v[0] - 4.0).abs() < 1e-12 && (v[1] - 4.0).abs() < 1e-12,
            "{v:?}"
        );
    }

    #[test]
    fn a_loop_that_never_exits_is_reported() {
        let e = vec![vec![(1, 1.0)], vec![(0, 1.0)]];
        assert!(visits(2, 0, &e).is_err());
        let e = vec![vec![(0, 1.0)]];
        assert_eq!(visits(1, 0, &e), Err(NoExit(vec![0])));
    }

    #[test]
    fn unreachable_loops_do_not_matter() {
        let e = vec![vec![], vec![(2, 1.0)], vec![(1, 1.0)]];
        assert_eq!(visits(3, 0, &e).unwrap(), vec![1.0, 0.0, 0.0]);
    }
}
