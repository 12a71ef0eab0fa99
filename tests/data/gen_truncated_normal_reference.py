#!/usr/bin/env python3
"""Writes tests/data/truncated_normal_reference.tsv: high-precision values of the
standard normal and truncated-normal functions, the law of the maximum of N
draws and the sample-count bound, for the C++ tests to check against.

Independent of the C++ code: every value comes straight from the definitions
evaluated with mpmath at 40 significant digits plus 64 guard bits (more near 0
and 1) (Phi through mpmath's erfc, the
max-of-N moments through tanh-sinh quadrature, quantiles by bisection).
Inputs are exact doubles (written with repr), outputs have 22 significant
digits.

Usage: python3 tests/data/gen_truncated_normal_reference.py > tests/data/truncated_normal_reference.tsv
Needs mpmath (tested with 1.3.0).
"""
import math
import sys

import mpmath as mp

mp.mp.dps = 40


def fmt(x):
    if x == mp.inf:
        return "inf"
    if x == -mp.inf:
        return "-inf"
    return mp.nstr(mp.mpf(x), 22)


def phi_lower(x):
    """Phi(x)."""
    return mp.erfc(-x / mp.sqrt(2)) / 2  # sqrt(2) at the working precision


def phi_upper(x):
    """1 - Phi(x)."""
    return mp.erfc(x / mp.sqrt(2)) / 2


def normal_mass(x, y):
    """Phi(y) - Phi(x) without cancellation: from the tail on the far side."""
    if x >= 0:
        return phi_upper(x) - phi_upper(y)
    return phi_lower(y) - phi_lower(x)


def extra_bits(s):
    """Bits to add so that s, 1 - s and every standardised point built from
    them stay exact however close s lies to 0 or 1."""
    s = mp.mpf(s)
    bits = 0
    if 0 < s < 1:
        bits += max(0, -int(mp.floor(mp.log(s, 2)))) + max(0, -int(mp.floor(mp.log(1 - s, 2))))
    return bits


class TN:
    def __init__(self, mu, sigma):
        self.mu = mp.mpf(mu)
        self.sigma = mp.mpf(sigma)

    def _std(self):
        a = -self.mu / self.sigma
        b = (1 - self.mu) / self.sigma
        return a, b, normal_mass(a, b)

    def log_pdf(self, s):
        with mp.workprec(mp.mp.prec + 64):
            a, b, zm = self._std()
            z = (mp.mpf(s) - self.mu) / self.sigma
            return -z * z / 2 - mp.log(mp.sqrt(2 * mp.pi)) - mp.log(self.sigma) - mp.log(zm)

    def _tail(self, s, upper):
        s = mp.mpf(s)
        if s <= 0:
            return mp.mpf(1 if upper else 0)
        if s >= 1:
            return mp.mpf(0 if upper else 1)
        with mp.workprec(mp.mp.prec + 64 + extra_bits(s)):
            a, b, zm = self._std()
            z = (s - self.mu) / self.sigma
            m = normal_mass(z, b) if upper else normal_mass(a, z)
            return +(m / zm)

    def cdf(self, s):
        return self._tail(s, False)

    def sf(self, s):
        return self._tail(s, True)

    # Each tail is computed from its own side, so it is exact however small;
    # its log near 0 (the tail near 1) comes from the other tail via log1p.
    def log_cdf(self, s):
        c = self.cdf(s)
        if c == 0:
            return -mp.inf
        return mp.log(c) if c <= 0.5 else mp.log1p(-self.sf(s))

    def log_sf(self, s):
        c = self.sf(s)
        if c == 0:
            return -mp.inf
        return mp.log(c) if c <= 0.5 else mp.log1p(-self.cdf(s))

    def quantile_from_log(self, log_p, iterations=160):
        """s with F(s) = exp(log_p), by bisection on the logit of s (so that
        quantiles within 1e-300 of 0 are found too) and on the smaller tail.
        160 halvings of [-800, 800] resolve the logit to 1e-45."""
        log_p = mp.mpf(log_p)
        upper = log_p > -mp.log(2)
        target = mp.log(-mp.expm1(log_p)) if upper else log_p
        lo, hi = mp.mpf(-800), mp.mpf(800)
        expit = lambda u: 1 / (1 + mp.exp(-u))
        for _ in range(iterations):
            mid = (lo + hi) / 2
            s = expit(mid)
            tail = self.sf(s) if upper else self.cdf(s)
            v = (mp.log(tail) if tail > 0 else -mp.inf) - target
            if (v > 0) != upper:
                hi = mid
            else:
                lo = mid
        return expit((lo + hi) / 2)

    def mean_var(self):
        # The variance formula cancels ~4 log10(|a| + |b|) digits when mu
        # lies far outside [0, 1]: work at 200 digits.
        with mp.workdps(200):
            return self._mean_var()

    def _mean_var(self):
        self.a, self.b, self.z_mass = self._std()
        pa = mp.exp(-self.a ** 2 / 2) / mp.sqrt(2 * mp.pi)
        pb = mp.exp(-self.b ** 2 / 2) / mp.sqrt(2 * mp.pi)
        z = self.z_mass
        d = (pa - pb) / z
        mean = self.mu + self.sigma * d
        var = self.sigma ** 2 * (1 + (self.a * pa - self.b * pb) / z - d * d)
        return +mean, +var


def max_law_moments(law, n):
    """E[M_n] and E[M_{n+1}] - E[M_n] by tanh-sinh quadrature between
    quantiles of M_n (the tails beyond the outer ones weigh < 1e-40)."""
    probs = [mp.mpf("1e-40"), mp.mpf("1e-20"), mp.mpf("1e-8"), mp.mpf("0.01"), mp.mpf("0.2"),
             mp.mpf("0.5"), mp.mpf("0.8"), mp.mpf("0.99"), 1 - mp.mpf("1e-8"), 1 - mp.mpf("1e-20"),
             1 - mp.mpf("1e-40")]
    pts = []
    for p in probs:
        pts.append(law.quantile_from_log(mp.log(p) / n, iterations=64))
    pts = sorted(set(pts))
    lo, hi = pts[0], pts[-1]
    one_minus_fn = lambda s: -mp.expm1(n * law.log_cdf(s))
    gain_integrand = lambda s: law.cdf(s) ** n * law.sf(s)
    if hi > lo:
        body = mp.quad(one_minus_fn, pts, method='gauss-legendre')
        gain = mp.quad(gain_integrand, pts, method='gauss-legendre')
    else:
        body = mp.mpf(0)
        gain = mp.mpf(0)
    spread = law.quantile_from_log(mp.log(mp.mpf("0.9")) / n) - law.quantile_from_log(mp.log(mp.mpf("0.1")) / n)
    return lo + body, gain, spread


# (mu, sigma): inside [0, 1], piled against 1 (mu >= 1), piled against 0 (mu <= 0),
# from broad to 1e-6 and from |mu| = 0 to 80.
LAWS = [
    (0.5, 0.1), (0.9, 0.05), (0.95, 0.01), (0.3, 0.5), (0.7, 3.0), (0.5, 10.0),
    (0.5, 1e-4), (0.5, 1e-6), (0.95, 1e-6), (0.999, 1e-6), (0.001, 1e-6), (0.963, 0.0071),
    (1.0, 0.1), (1.5, 0.2), (2.0, 0.5), (10.0, 0.01), (50.0, 1.0), (50.0, 1e-6), (80.0, 1.5),
    (1.001, 1e-6), (1.0, 1e-6),
    (0.0, 0.1), (-0.5, 0.2), (-10.0, 0.01), (-50.0, 1.0), (-50.0, 1e-6), (-0.001, 1e-6),
]


def law_points(mu, sigma):
    """Scores to probe: fixed ones, mu +- k sigma, and points at 1e-3..1e3 of the
    law's own scale from the bound the mass piles against."""
    pts = {0.0, 1.0, 1e-12, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999999, 1 - 2 ** -40}
    for k in (1.0, 10.0, 1000.0):
        for sgn in (-1, 1):
            s = mu + sgn * k * sigma
            if 0 < s < 1:
                pts.add(s)
    if mu >= 1 or mu <= 0:
        # Scale of the exponential-like pile: 1 / |d log f / ds| at the bound.
        edge = (1 - mu) / sigma if mu >= 1 else -mu / sigma
        rate = max(abs(edge), 1) / sigma
        for k in (1e-3, 1.0, 30.0, 1e3):
            d = k / rate
            if d < 1:
                pts.add(1 - d if mu >= 1 else d)
    return sorted(pts)


LOG_PS = [-700.0, -100.0, math.log(1e-10), math.log(0.01), math.log(0.3), math.log(0.5),
          math.log(0.9), math.log1p(-1e-10), -1e-300]

MAX_NS = [1, 2, 8, 64]

# (mu, sigma, target, delta, budget): the sample-count bound, paper-spec section 1
# edge cases included.
BOUNDS = [
    (0.9, 0.05, 0.95, 0.05, 64), (0.9, 0.05, 0.99, 0.05, 64), (0.9, 0.05, 0.99, 0.01, 1000),
    (0.95, 0.01, 0.97, 0.1, 64), (0.963, 0.0071, 0.98, 0.075, 64), (0.5, 0.1, 0.85, 0.05, 64),
    (0.95, 1e-6, 0.85, 0.05, 64), (0.95, 1e-6, 0.95, 0.05, 64), (0.95, 1e-6, 0.9500001, 0.05, 64),
    (80.0, 1.5, 0.85, 0.05, 64), (80.0, 1.5, 0.95, 0.05, 64), (80.0, 1.5, 0.99, 0.05, 64),
    (50.0, 1e-6, 0.999, 0.01, 64), (-50.0, 1.0, 0.01, 0.05, 64), (-50.0, 1.0, 1e-4, 0.05, 100000),
    (0.5, 0.1, 0.0, 0.05, 64), (0.5, 0.1, -0.3, 0.05, 64), (0.5, 0.1, 1.0, 0.05, 64),
    (0.5, 0.1, 1.2, 0.05, 64), (0.2, 0.01, 0.5, 0.05, 64), (0.7, 3.0, 0.99, 0.01, 64),
    (1.0, 0.1, 0.999, 0.02, 64), (0.6, 0.12, 0.97, 0.035, 2000000000),
]


def bound_row(mu, sigma, target, delta, budget):
    law = TN(mu, sigma)
    if target <= 0:
        return 1, "certain", mp.mpf(1), -mp.inf
    if target >= 1:
        return budget, "unreachable", mp.mpf(0), mp.mpf(0)
    log_f = law.log_cdf(target)
    n_star = mp.ceil(mp.log(delta) / log_f)
    n = int(min(max(n_star, 1), budget))
    outcome = "reached" if n_star <= budget else "capped"
    return n, outcome, -mp.expm1(n * log_f), log_f


def main():
    out = sys.stdout
    out.write("# generated by tests/data/gen_truncated_normal_reference.py (mpmath %s, %d digits)\n"
              % (mp.__version__, mp.mp.dps))
    out.write("# normal x log_cdf log_mills_ratio\n")
    for x in [-1e8, -5e7, -1e4, -1000.0, -100.0, -38.5, -20.0, -19.99, -10.0, -5.0, -1.0, -0.1,
              0.0, 0.5, 3.0, 8.0, 20.0]:
        xm = mp.mpf(x)
        lc = mp.log(phi_lower(xm)) if x <= 0 else mp.log1p(-phi_upper(xm))
        out.write("normal\t%r\t%s\t%s\n" % (x, fmt(lc), fmt(lc + xm * xm / 2 + mp.log(mp.sqrt(2 * mp.pi)))))
    out.write("# interval x y log(Phi(y)-Phi(x))\n")
    for x, y in [(-1e4, -9999.999), (-40.0, -39.0), (-38.0, -37.999999), (-5.0, -4.9999999999),
                 (-1.0, 2.0), (-1e-12, 1e-12), (0.3, 0.30000000001), (2.0, 3.0), (40.0, 41.0),
                 (1e3, 1e3 + 1e-9), (-20.5, -20.0), (-3.0, 0.0), (0.0, 25.0)]:
        m = normal_mass(mp.mpf(x), mp.mpf(y))
        out.write("interval\t%r\t%r\t%s\n" % (x, y, fmt(mp.log(m))))
    out.write("# point mu sigma s log_pdf log_cdf log_survival\n")
    for mu, sigma in LAWS:
        law = TN(mu, sigma)
        for s in law_points(mu, sigma):
            out.write("point\t%r\t%r\t%r\t%s\t%s\t%s\n" % (
                mu, sigma, s, fmt(law.log_pdf(s)), fmt(law.log_cdf(s)), fmt(law.log_sf(s))))
    out.write("# quantile mu sigma log_p s dlog_tail_ds (slope of the log of the solved tail at s)\n")
    for mu, sigma in LAWS:
        law = TN(mu, sigma)
        for lp in LOG_PS:
            s = law.quantile_from_log(lp)
            if not (1e-300 < s < 1):
                continue
            upper = lp > -math.log(2)
            tail = law.sf(s) if upper else law.cdf(s)
            slope = mp.exp(law.log_pdf(s)) / tail
            out.write("quantile\t%r\t%r\t%r\t%s\t%s\n" % (mu, sigma, lp, fmt(s), fmt(slope)))
    out.write("# moments mu sigma mean variance\n")
    for mu, sigma in LAWS:
        mean, var = TN(mu, sigma).mean_var()
        out.write("moments\t%r\t%r\t%s\t%s\n" % (mu, sigma, fmt(mean), fmt(var)))
    out.write("# maxlaw mu sigma n expected gain spread (E[M_n], E[M_n+1]-E[M_n], q(0.9)-q(0.1) of M_n)\n")
    for mu, sigma in LAWS:
        law = TN(mu, sigma)
        for n in MAX_NS:
            e, g, spread = max_law_moments(law, n)
            out.write("maxlaw\t%r\t%r\t%d\t%s\t%s\t%s\n" % (mu, sigma, n, fmt(e), fmt(g), fmt(spread)))
    out.write("# bound mu sigma target delta budget n outcome p_success log_cdf_target\n")
    for mu, sigma, target, delta, budget in BOUNDS:
        n, outcome, p, log_f = bound_row(mu, sigma, target, delta, budget)
        out.write("bound\t%r\t%r\t%r\t%r\t%d\t%d\t%s\t%s\t%s\n" % (
            mu, sigma, target, delta, budget, n, outcome, fmt(p), fmt(log_f)))


if __name__ == "__main__":
    main()
