"""Ten points, two stories: a straight line and the degree-9 polynomial through every point
agree at the data and part company everywhere else; and Mercury's perihelion, computed."""

from functools import cache

import numpy as np
from numpy.polynomial import Polynomial

from snippets import conventions

N_POINTS = 10
NOISE = 0.15  # standard deviation σ of the measurement noise
SEED = 0
PLOT_RANGE = (-0.06, 1.06)  # a little beyond the data on both sides


def observations():
    """Ten noisy measurements of the straight line y = 1 + 2x at random x in [0, 1]."""
    rng = np.random.default_rng(SEED)
    x = np.sort(rng.uniform(0.0, 1.0, N_POINTS))
    y = 1.0 + 2.0 * x + rng.normal(0.0, NOISE, N_POINTS)
    return x, y


@cache
def fits():
    """The least-squares line and the interpolating degree-9 polynomial.

    ``Polynomial.fit`` maps the data's x-range onto [-1, 1] before solving, which keeps the
    linear system well conditioned (see ``condition_numbers``).
    """
    x, y = observations()
    line = Polynomial.fit(x, y, deg=1)
    poly9 = Polynomial.fit(x, y, deg=N_POINTS - 1)
    return line, poly9


def scaled_axis(v):
    """t = 2(x − x_min)/(x_max − x_min) − 1: the data's x-range mapped onto [−1, 1]."""
    x, _ = observations()
    return 2 * (np.asarray(v) - x.min()) / (x.max() - x.min()) - 1


def condition_numbers():
    """Condition number (largest over smallest singular value) of the degree-9 Vandermonde matrix
    [x_iᵏ], k = 0…9, on the raw x and on the scaled t."""
    x, _ = observations()
    raw = np.vander(x, N_POINTS, increasing=True)
    scaled = np.vander(scaled_axis(x), N_POINTS, increasing=True)
    return np.linalg.cond(raw), np.linalg.cond(scaled)


def turning_points(curve):
    """How many times a sampled curve changes direction (up to down or back)."""
    slope_sign = np.sign(np.diff(curve))
    slope_sign = slope_sign[slope_sign != 0]
    return int(np.count_nonzero(np.diff(slope_sign)))


def power_of_ten(value):
    """1e-08 → "10⁻⁸", 0.01 → "0.01", 1 → "1": how the page writes λ (plain Unicode, no TeX)."""
    if 1e-2 <= value < 1e3:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    power = "10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return power if float(mantissa) == 1 else f"{float(mantissa):g} × {power}"


def rms(r):
    return float(np.sqrt(np.mean(np.square(r))))


def disagreement(xs):
    """|degree-9 polynomial − line| at the points xs."""
    line, poly9 = fits()
    return np.abs(poly9(xs) - line(xs))


def regions(num=2001):
    """A fine grid over the plotting range, split into: inside the data's range, and beyond it."""
    x, _ = observations()
    xs = np.linspace(*PLOT_RANGE, num)
    inside = (xs >= x.min()) & (xs <= x.max())
    return xs, inside


def fresh_test_points(num=1000, seed=1):
    """New observations of the same line, at x inside the range the data covers."""
    x, _ = observations()
    rng = np.random.default_rng(seed)
    xt = rng.uniform(x.min(), x.max(), num)
    return xt, 1.0 + 2.0 * xt + rng.normal(0.0, NOISE, num)


# --- the same choice, made adjustable: ridge on the degree-9 features -------------------
SWEEP_LAMBDAS = np.logspace(-8, 2, 21)
STATIC_SWEEP = (1e-8, 1e-4, 1e-2, 1.0)  # the values the static figure draws


def poly_features(xs, degree=N_POINTS - 1):
    """z_k(x) = (t(x)ᵏ − m_k)/s_k, k = 1…degree: powers of the scaled t = 2(x − x_min)/(x_max − x_min) − 1,
    each standardised with its mean m_k and standard deviation s_k over the ten observations."""
    x, _ = observations()
    powers = lambda v: scaled_axis(v)[:, None] ** np.arange(1, degree + 1)  # noqa: E731
    train = powers(x)
    return (powers(np.asarray(xs, dtype=float)) - train.mean(axis=0)) / train.std(axis=0)


def ridge_curve(lam, xs):
    """The degree-9 model fitted with penalty λ (intercept unpenalised), evaluated at xs."""
    x, y = observations()
    w, b = conventions.ridge_with_intercept(poly_features(x), y, lam)
    return poly_features(xs) @ w + b


@cache
def sweep_readouts():
    """For each λ of the slider: turning points inside the data's range and held-out RMS."""
    xs, inside = regions()
    xt, yt = fresh_test_points()
    turns = [turning_points(ridge_curve(lam, xs[inside])) for lam in SWEEP_LAMBDAS]
    held_out = [rms(ridge_curve(lam, xt) - yt) for lam in SWEEP_LAMBDAS]
    return np.array(turns), np.array(held_out)


def data_ridge_sweep():
    """Moving λ from 10⁻⁸ to 100 takes the degree-9 fit from the wiggly interpolant to a nearly straight
    rise; the readout counts its turning points inside the data and its held-out error."""
    x, y = observations()
    xs = np.linspace(*PLOT_RANGE, 101)
    turns, held_out = sweep_readouts()
    frames = []
    for lam, k, e in zip(SWEEP_LAMBDAS, turns, held_out, strict=True):
        curve = {
            "type": "line",
            "x": np.round(xs, 4).tolist(),
            "y": np.round(ridge_curve(lam, xs), 4).tolist(),
        }
        curve |= {"color": "orange", "label": "degree-9 fit with penalty λ"}
        readout = f"λ = {power_of_ten(lam)}: {k} turning points inside the data, held-out RMS error {e:.2f}"
        frames.append({"series": [curve], "readout": readout})
    points = {"type": "points", "x": np.round(x, 4).tolist(), "y": np.round(y, 4).tolist()}
    return {
        "kind": "frames",
        "xlabel": "x",
        "ylabel": "y",
        "xlim": list(PLOT_RANGE),
        "ylim": [-1.0, 5.5],
        "xscale": "linear",
        "yscale": "linear",
        "equal": False,
        "slider": {
            "label": "penalty strength λ",
            "values": SWEEP_LAMBDAS.tolist(),
            "format": "sci",
            "initial": 0,
        },
        "static": [points | {"color": "fg", "label": "the ten observations"}],
        "frames": frames,
    }


def values_sweep():
    """What the slider shows: turning points never rise with λ; held-out error is lowest mid-range."""
    turns, held_out = sweep_readouts()
    i = int(np.argmin(held_out))
    return {
        "sweep_turns_max": int(turns.max()),
        "sweep_lam_best": float(SWEEP_LAMBDAS[i]),
        "sweep_rms_best": float(held_out[i]),
        "sweep_rms_first": float(held_out[0]),
        "sweep_rms_last": float(held_out[-1]),
        "sweep_lam_no_turns": float(SWEEP_LAMBDAS[np.argmax(turns == 0)]),
    }


# --- the razor in numbers: the evidence of each degree (MacKay 1992; Bishop 2006, §3.4-3.5) --------
EVIDENCE_DEGREES = range(N_POINTS)  # polynomial degrees 0…9
INTERCEPT_SD = 10.0  # prior standard deviation of the intercept, the same for every degree
CV_LAMBDAS = np.logspace(-8, 2, 201)  # the grid for leave-one-out cross-validation


def design(degree):
    """Φ = [1, z_1(x), …, z_d(x)] on the ten observations (degree 0: the column of ones only)."""
    x, _ = observations()
    return (
        np.column_stack([np.ones(N_POINTS), poly_features(x, degree)]) if degree else np.ones((N_POINTS, 1))
    )


def prior_precision(degree, alpha):
    """Λ₀ = diag(1/s_b², α, …, α): the intercept's prior N(0, s_b²), the weights' N(0, I/α)."""
    return np.diag([INTERCEPT_SD**-2] + [alpha] * degree)


def posterior(degree, alpha, beta):
    """Posterior of (b, w) given y: precision A = Λ₀ + βΦᵀΦ and mean m = βA⁻¹Φᵀy."""
    _, y = observations()
    phi = design(degree)
    A = prior_precision(degree, alpha) + beta * phi.T @ phi
    return A, beta * np.linalg.solve(A, phi.T @ y)


def evidence_parts(degree, alpha, beta):
    """ln p(y) = ln p(y | m, β) + ln(Occam factor), both exact for this Gaussian model:

    ln p(y | m, β) = (n/2) ln(β/2π) − (β/2)‖y − Φm‖²   (the best fit, at the posterior mean m)
    ln Occam = ½ ln|Λ₀| − ½ mᵀΛ₀m − ½ ln|A|   (= ln[p(m) (2π)^(M/2) |A|^(−½)], posterior over prior volume)
    """
    _, y = observations()
    A, m = posterior(degree, alpha, beta)
    L0 = prior_precision(degree, alpha)
    fit = N_POINTS / 2 * np.log(beta / (2 * np.pi)) - beta / 2 * np.sum((y - design(degree) @ m) ** 2)
    occam_factor = 0.5 * (np.linalg.slogdet(L0)[1] - m @ L0 @ m - np.linalg.slogdet(A)[1])
    return float(fit), float(occam_factor)


def log_evidence(degree, alpha, beta):
    """ln p(y | degree, α, β): the marginal likelihood, the fit times the Occam factor."""
    return sum(evidence_parts(degree, alpha, beta))


@cache
def spectrum(degree):
    """dᵢ² (squared singular values of the feature matrix Z) and Uᵀy; the features are centred, so the
    intercept decouples and the posterior of w lives on Z's singular directions."""
    _, y = observations()
    if degree == 0:
        return np.zeros(0), np.zeros(0)
    U, d, _ = np.linalg.svd(design(degree)[:, 1:], full_matrices=False)
    return d**2, U.T @ y


def posterior_summary(degree, alpha, beta):
    """In Z's singular directions: γ_w = Σ βdᵢ²/(α + βdᵢ²) and γ_b = βn/(1/s_b² + βn), the numbers of
    well-determined weights and intercepts; ‖m_w‖²; and the residual ‖y − Φm‖² at the posterior mean."""
    _, y = observations()
    d2, uy = spectrum(degree)
    shrink = beta * d2 / (alpha + beta * d2)  # m_w in the basis V has components shrink · uᵢᵀy / dᵢ
    g_b = beta * N_POINTS / (INTERCEPT_SD**-2 + beta * N_POINTS)
    m_w_sq = float(np.sum(shrink**2 * uy**2 / np.where(d2 > 0, d2, 1)))
    y_c = y - y.mean()
    residual = N_POINTS * (y.mean() * (1 - g_b)) ** 2 + y_c @ y_c - np.sum((2 * shrink - shrink**2) * uy**2)
    return float(np.sum(shrink)), g_b, m_w_sq, float(residual)


def reestimate(degree, alpha, beta):
    """One step of Bishop's re-estimation (PRML eqs 3.92, 3.95):
    α ← γ_w/‖m_w‖², 1/β ← ‖y − Φm‖²/(n − γ_w − γ_b)."""
    g_w, g_b, m_w_sq, residual = posterior_summary(degree, alpha, beta)
    new_alpha = g_w / m_w_sq if degree else alpha
    return new_alpha, (N_POINTS - g_w - g_b) / residual


def profile_beta(degree, lam, beta=100.0, steps=500):
    """The β that maximises the evidence with α = λβ held in ratio: setting the derivative along that line
    to zero gives β = (n − γ_b)/(‖y − Φm‖² + λ‖m_w‖²), iterated (m_w depends on λ only)."""
    for _ in range(steps):
        _, g_b, m_w_sq, residual = posterior_summary(degree, lam * beta, beta)
        new_beta = (N_POINTS - g_b) / (residual + lam * m_w_sq)
        if abs(new_beta / beta - 1) < 1e-13:
            break
        beta = new_beta
    return float(beta)


@cache
def fit_hyperparameters(degree, alpha=1.0, beta=1.0, steps=20_000):
    """Evidence maximisation: repeat Bishop's re-estimation of α and β until it no longer moves them."""
    for _ in range(steps):
        new_alpha, new_beta = reestimate(degree, alpha, beta)
        if abs(new_alpha / alpha - 1) < 1e-12 and abs(new_beta / beta - 1) < 1e-12:
            break
        alpha, beta = new_alpha, new_beta
    return float(alpha), float(beta)


@cache
def evidence_table():
    """Per degree: fitted α and β, ln evidence, its fit and Occam-factor parts, least-squares training RMS."""
    _, y = observations()
    rows = []
    for d in EVIDENCE_DEGREES:
        alpha, beta = fit_hyperparameters(d)
        fit, occam_factor = evidence_parts(d, alpha, beta)
        ls = np.linalg.lstsq(design(d), y, rcond=None)[0]
        rows.append(
            {
                "degree": d,
                "alpha": alpha,
                "beta": beta,
                "log_evidence": fit + occam_factor,
                "log_fit": fit,
                "log_occam": occam_factor,
                "train_rms_ls": rms(design(d) @ ls - y),
            }
        )
    return rows


def loo_rms(lam):
    """Leave-one-out RMS error of the degree-9 ridge fit with penalty λ, by ten refits (features fixed)."""
    x, y = observations()
    Z = poly_features(x)
    errors = []
    for i in range(N_POINTS):
        keep = np.arange(N_POINTS) != i
        w, b = conventions.ridge_with_intercept(Z[keep], y[keep], lam)
        errors.append(Z[i] @ w + b - y[i])
    return rms(np.array(errors))


@cache
def lambda_choices():
    """λ for the degree-9 model two ways: α/β from evidence maximisation, and the grid minimum of the
    leave-one-out error; and the evidence along the same grid with β re-fitted at each λ."""
    alpha, beta = fit_hyperparameters(N_POINTS - 1)
    loo = np.array([loo_rms(lam) for lam in CV_LAMBDAS])
    profile = [
        log_evidence(N_POINTS - 1, lam * profile_beta(N_POINTS - 1, lam), profile_beta(N_POINTS - 1, lam))
        for lam in CV_LAMBDAS
    ]
    return {
        "lam_evidence": alpha / beta,
        "loo": loo,
        "lam_cv": float(CV_LAMBDAS[np.argmin(loo)]),
        "profile": np.array(profile),
    }


def values_evidence():
    """The evidence picks a low degree; its λ against cross-validation's."""
    rows = evidence_table()
    ev = np.array([r["log_evidence"] for r in rows])
    best = int(np.argmax(ev))
    second = int(np.argsort(ev)[-2])
    choice = lambda_choices()
    xt, yt = fresh_test_points()
    return {
        "ev_intercept_sd": INTERCEPT_SD,
        "ev_best_degree": best,
        "ev_second_degree": second,
        "ev_ratio_best_second": float(np.exp(ev[best] - ev[second])),
        "ev_ratio_best_9": float(np.exp(ev[best] - ev[-1])),
        "ev_ratio_best_0": float(np.exp(ev[best] - ev[0])),
        "ev_log_best": float(ev[best]),
        "ev_log_9": float(ev[-1]),
        "ev_fit_best": rows[best]["log_fit"],
        "ev_fit_9": rows[-1]["log_fit"],
        "ev_occam_best": rows[best]["log_occam"],
        "ev_occam_9": rows[-1]["log_occam"],
        "ev_sigma_best": float(rows[best]["beta"] ** -0.5),
        "ev_alpha_9": rows[-1]["alpha"],
        "ev_beta_9": rows[-1]["beta"],
        "ev_s_9": float(rows[-1]["alpha"] ** -0.5),
        "ev_sigma_9": float(rows[-1]["beta"] ** -0.5),
        "ev_fit_0": rows[0]["log_fit"],
        "ev_occam_0": rows[0]["log_occam"],
        "ev_lam": choice["lam_evidence"],
        "ev_lam_cv": choice["lam_cv"],
        "ev_loo_at_cv": float(choice["loo"].min()),
        "ev_loo_at_ev": loo_rms(choice["lam_evidence"]),
        "ev_test_rms_at_ev": rms(ridge_curve(choice["lam_evidence"], xt) - yt),
        "ev_test_rms_at_cv": rms(ridge_curve(choice["lam_cv"], xt) - yt),
        "ev_cv_grid_n": len(CV_LAMBDAS),
    }


# --- Mercury: the part of the perihelion advance Newton leaves unexplained ----------------
GM_SUN = 1.3271244e20  # m³ s⁻², IAU 2015 nominal solar mass parameter
C_LIGHT = 299_792_458.0  # m s⁻¹, exact by the SI definition
AU = 149_597_870_700.0  # m, exact by IAU 2012 resolution B2
MERCURY_A = 0.38709893 * AU  # semi-major axis
MERCURY_E = 0.20563069  # eccentricity
MERCURY_PERIOD_DAYS = 87.969  # sidereal orbital period
JULIAN_CENTURY_DAYS = 36_525.0
R_SUN = 6.957e8  # m, IAU 2015 nominal solar radius
ARCSEC_PER_RAD = 180 * 3600 / np.pi


def perihelion_advance_per_orbit(gm=GM_SUN, a=MERCURY_A, e=MERCURY_E, c=C_LIGHT):
    """General relativity's extra perihelion advance per orbit: Δφ = 6πGM / (c² a (1 − e²)) radians."""
    return 6 * np.pi * gm / (c**2 * a * (1 - e**2))


def perihelion_arcsec_per_century():
    orbits = JULIAN_CENTURY_DAYS / MERCURY_PERIOD_DAYS
    return perihelion_advance_per_orbit() * orbits * ARCSEC_PER_RAD


def light_deflection_arcsec(theory):
    """Deflection of starlight grazing the Sun: 2GM/(c²R) for Newtonian corpuscles, twice that in GR."""
    factor = {"newton": 2.0, "einstein": 4.0}[theory]
    return factor * GM_SUN / (C_LIGHT**2 * R_SUN) * ARCSEC_PER_RAD


# --- simplicity is a bet: the same choice when the world is a curve ------------------------
BET_DRAWS = 20  # fresh data sets of ten points from a curve, at the same x
BET_LAM = 1e-2
BET_TEST = 1000  # fresh points each data set is scored on


def curve_truth(v):
    """A world that is not a line: y = sin(2πx)."""
    return np.sin(2 * np.pi * np.asarray(v))


@cache
def bet_on_a_curve():
    """Held-out RMS of the straight line and of the degree-9 ridge fit (λ = BET_LAM) on BET_DRAWS data sets
    y = sin(2πx) + noise at the page's ten x, each scored on BET_TEST fresh points of the same curve."""
    x, _ = observations()
    rng = np.random.default_rng(2)
    xt = rng.uniform(x.min(), x.max(), BET_TEST)
    line_rms, ridge_rms = [], []
    for _ in range(BET_DRAWS):
        y = curve_truth(x) + rng.normal(0.0, NOISE, N_POINTS)
        yt = curve_truth(xt) + rng.normal(0.0, NOISE, len(xt))
        line_rms.append(rms(Polynomial.fit(x, y, deg=1)(xt) - yt))
        w, b = conventions.ridge_with_intercept(poly_features(x), y, BET_LAM)
        ridge_rms.append(rms(poly_features(xt) @ w + b - yt))
    return np.array(line_rms), np.array(ridge_rms)


def values_fits():
    """The two models on the ten points, at the data and on fresh data."""
    x, y = observations()
    line, poly9 = fits()
    xt, yt = fresh_test_points()
    return {
        "n_points": N_POINTS,
        "noise": NOISE,
        "x_min": float(x.min()),
        "x_max": float(x.max()),
        "train_rms_line": rms(line(x) - y),
        "train_max_poly9": float(np.max(np.abs(poly9(x) - y))),
        "test_rms_line": rms(line(xt) - yt),
        "test_rms_poly9": rms(poly9(xt) - yt),
        "n_test": len(xt),
    }


def values_disagreement():
    """Where the two models agree (at the data) and where they do not (between and beyond)."""
    x, _ = observations()
    xs, inside = regions()
    gap_inside = disagreement(xs[inside])
    gap_beyond = disagreement(xs[~inside])
    x_gap = float(xs[inside][np.argmax(gap_inside)])
    return {
        "max_gap_at_data": float(np.max(disagreement(x))),
        "max_gap_inside": float(gap_inside.max()),
        "x_max_gap_inside": x_gap,
        "gap_lo": float(x[x <= x_gap].max()),
        "gap_hi": float(x[x >= x_gap].min()),
        "max_gap_beyond": float(gap_beyond.max()),
        "x_max_gap_beyond": float(xs[~inside][np.argmax(gap_beyond)]),
    }


def values_conditioning():
    """The numerical aside: the Vandermonde matrix on raw and on scaled x."""
    cond_raw, cond_scaled = condition_numbers()
    return {"cond_raw": float(cond_raw), "cond_scaled": float(cond_scaled)}


def values_mercury():
    """General relativity's perihelion advance of Mercury and the deflection of starlight."""
    return {
        "mercury_per_orbit_arcsec": float(perihelion_advance_per_orbit() * ARCSEC_PER_RAD),
        "mercury_arcsec_century": float(perihelion_arcsec_per_century()),
        "mercury_orbits_century": JULIAN_CENTURY_DAYS / MERCURY_PERIOD_DAYS,
        "deflection_newton": float(light_deflection_arcsec("newton")),
        "deflection_einstein": float(light_deflection_arcsec("einstein")),
    }


def values_bet():
    """When the world is a curve, the bet on the line loses: spread over BET_DRAWS data sets."""
    line_rms, ridge_rms = bet_on_a_curve()
    return {
        "bet_draws": BET_DRAWS,
        "bet_lam": BET_LAM,
        "bet_n_test": BET_TEST,
        "bet_line_median": float(np.median(line_rms)),
        "bet_line_lo": float(line_rms.min()),
        "bet_line_hi": float(line_rms.max()),
        "bet_ridge_median": float(np.median(ridge_rms)),
        "bet_ridge_lo": float(ridge_rms.min()),
        "bet_ridge_hi": float(ridge_rms.max()),
        "bet_ridge_wins": int(np.sum(ridge_rms < line_rms)),
    }


def values_ridge():
    """The penalty you can turn: turning points and held-out error along the sweep."""
    xs, inside = regions()
    xt, yt = fresh_test_points()
    return {
        "sweep_lam_min": float(SWEEP_LAMBDAS[0]),
        "sweep_lam_max": float(SWEEP_LAMBDAS[-1]),
        "sweep_count": len(SWEEP_LAMBDAS),
        "sweep_static_count": len(STATIC_SWEEP),
        "turning_points_small_lam": turning_points(ridge_curve(1e-8, xs[inside])),
        "turning_points_lam_1e_2": turning_points(ridge_curve(1e-2, xs[inside])),
        "turning_points_lam_1": turning_points(ridge_curve(1.0, xs[inside])),
        "test_rms_ridge_1e_2": rms(ridge_curve(1e-2, xt) - yt),
    }


def values():
    return {
        **values_fits(),
        **values_disagreement(),
        **values_conditioning(),
        **values_mercury(),
        **values_bet(),
        **values_ridge(),
        **values_sweep(),
        **values_evidence(),
        **values_spread(),
    }


# --- the same two models on other draws: the spread of "here the simple story was right" -------------
SPREAD_SEEDS = range(100, 120)  # 20 further data sets: points from numpy rng s, fresh points from s + 1


@cache
def spread():
    """For each further draw of ten points from the same line (x uniform on [0, 1]): the held-out RMS error
    of the least-squares line and of the interpolating degree-9 polynomial, on 1000 fresh points inside the
    draw's range."""
    line_rms, poly_rms = [], []
    for seed in SPREAD_SEEDS:
        rng = np.random.default_rng(seed)
        x = np.sort(rng.uniform(0.0, 1.0, N_POINTS))
        y = 1.0 + 2.0 * x + rng.normal(0.0, NOISE, N_POINTS)
        rng = np.random.default_rng(seed + 1)
        xt = rng.uniform(x.min(), x.max(), 1000)
        yt = 1.0 + 2.0 * xt + rng.normal(0.0, NOISE, 1000)
        line_rms.append(rms(Polynomial.fit(x, y, deg=1)(xt) - yt))
        poly_rms.append(rms(Polynomial.fit(x, y, deg=N_POINTS - 1)(xt) - yt))
    return np.array(line_rms), np.array(poly_rms)


def values_spread():
    line_rms, poly_rms = spread()
    return {
        "spread_draws": len(SPREAD_SEEDS),
        "spread_line_median": float(np.median(line_rms)),
        "spread_line_lo": float(line_rms.min()),
        "spread_line_hi": float(line_rms.max()),
        "spread_poly_median": float(np.median(poly_rms)),
        "spread_poly_lo": float(poly_rms.min()),
        "spread_poly_hi": float(poly_rms.max()),
        "spread_line_wins": int(np.sum(line_rms < poly_rms)),
    }


def fig_ridge_sweep(fig, pal):
    """The degree-9 fit with a growing ridge penalty: from the interpolant towards a straight line."""
    x, y = observations()
    xs, _ = regions(num=400)
    ax = fig.subplots()
    fig.set_size_inches(4.8, 4.2)
    for lam, color in zip(STATIC_SWEEP, (pal.orange, pal.pink, pal.green, pal.blue), strict=True):
        ax.plot(xs, ridge_curve(lam, xs), color=color, label=f"λ = {power_of_ten(lam)}")
    ax.plot(x, y, "o", color=pal.fg, zorder=3, label="observations")
    ax.set_ylim(-1.0, 5.5)
    ax.set_xlim(*PLOT_RANGE)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    fig.legend(loc="outside lower center", ncols=3)


def fig_fits(fig, pal):
    """The line and the interpolating polynomial over the data, and a little beyond it."""
    x, y = observations()
    line, poly9 = fits()
    xs, _ = regions(num=600)
    fig.set_size_inches(4.8, 4.4)
    ax = fig.subplots()
    ax.axvspan(PLOT_RANGE[0], x.min(), color=pal.grid, alpha=0.6, lw=0)
    ax.axvspan(x.max(), PLOT_RANGE[1], color=pal.grid, alpha=0.6, lw=0)
    ax.plot(xs, line(xs), color=pal.blue, label="straight line (2 parameters)")
    ax.plot(xs, poly9(xs), color=pal.orange, label="degree-9 polynomial (10 parameters)")
    ax.plot(x, y, "o", color=pal.fg, label="the ten observations", zorder=3)
    ax.set_ylim(-1.0, 5.5)
    ax.set_xlim(*PLOT_RANGE)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    fig.legend(loc="outside lower center", ncols=1)


def fig_disagreement(fig, pal):
    """How far apart the two models are, on a log scale, across x."""
    x, _ = observations()
    xs, _ = regions(num=1500)
    fig.set_size_inches(4.8, 3.9)
    ax = fig.subplots()
    ax.semilogy(xs, disagreement(xs), color=pal.pink, label="|polynomial − line|")
    ax.semilogy(x, disagreement(x), "o", color=pal.fg, label="at the observations")
    ax.axvspan(PLOT_RANGE[0], x.min(), color=pal.grid, alpha=0.6, lw=0)
    ax.axvspan(x.max(), PLOT_RANGE[1], color=pal.grid, alpha=0.6, lw=0)
    ax.set_xlim(*PLOT_RANGE)
    ax.set_xlabel("x")
    ax.set_ylabel("disagreement")
    fig.legend(loc="outside lower center", ncols=2)


def fig_evidence(fig, pal):
    """ln evidence of each degree = ln best fit + ln Occam factor: the fit rises, the Occam factor falls."""
    fig.set_size_inches(4.8, 4.6)
    ax = fig.subplots()
    rows = evidence_table()
    deg = [r["degree"] for r in rows]
    ax.plot(deg, [r["log_fit"] for r in rows], "s-", color=pal.orange, label="ln best fit, ln p(y | m, β)")
    ax.plot(deg, [r["log_occam"] for r in rows], "^-", color=pal.green, label="ln Occam factor")
    ax.plot(deg, [r["log_evidence"] for r in rows], "o-", color=pal.blue, label="ln evidence (their sum)")
    ax.axhline(0.0, color=pal.muted, linewidth=0.8)
    ax.set_xticks(deg)
    ax.set_xlabel("polynomial degree")
    ax.set_ylabel("natural log")
    fig.legend(loc="outside lower center", ncols=1)


def fig_lambda_choice(fig, pal):
    """Degree 9: ln evidence (β re-fitted) and leave-one-out error against λ, with the two choices of λ."""
    fig.set_size_inches(4.8, 5.6)
    top, bottom = fig.subplots(2, 1, sharex=True)
    choice = lambda_choices()
    top.semilogx(CV_LAMBDAS, choice["profile"], color=pal.blue, label="ln evidence")
    bottom.semilogx(CV_LAMBDAS, choice["loo"], color=pal.orange, label="leave-one-out RMS error")
    for ax in (top, bottom):
        ax.axvline(choice["lam_evidence"], color=pal.blue, linestyle="--", linewidth=1.2)
        ax.axvline(choice["lam_cv"], color=pal.orange, linestyle=":", linewidth=1.6)
    top.set_ylabel("ln evidence")
    bottom.set_ylabel("LOO RMS error")
    bottom.set_ylim(0, 0.6)
    bottom.set_xlabel("penalty strength λ")
    top.plot([], [], color=pal.blue, linestyle="--", label="λ of the evidence")
    bottom.plot([], [], color=pal.orange, linestyle=":", label="λ of cross-validation")
    fig.legend(loc="outside lower center", ncols=2)
