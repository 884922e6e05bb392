"""Fit indices of a structural equation model fitted by maximum likelihood, as lavaan."""

from __future__ import annotations

import numpy as np
from scipy import stats


def fit_indices(
    sample_cov: np.ndarray, implied: np.ndarray, fmin: float, n: int, n_free: int
) -> dict[str, float]:
    """Chi-square, CFI, TLI, RMSEA and SRMR as lavaan reports them for ML.

    Means are saturated (one free intercept per observed variable), so they add as
    many moments as parameters and leave the degrees of freedom unchanged.
    """
    p = sample_cov.shape[0]
    df = p * (p + 1) // 2 - n_free
    chi2 = max(n * fmin, 0.0) if df > 0 else 0.0  # a saturated model fits exactly
    sd = np.sqrt(np.diag(sample_cov))
    _, logdet_s = np.linalg.slogdet(sample_cov)
    chi2_base = n * (float(np.sum(np.log(np.diag(sample_cov)))) - logdet_s)
    df_base = p * (p - 1) // 2
    resid = (sample_cov - implied) / np.outer(sd, sd)
    lower = resid[np.tril_indices(p)]
    # lavaan's "srmr" with meanstructure: the p mean residuals (zero here) count too.
    srmr = float(np.sqrt(np.sum(lower**2) / (p * (p + 1) / 2 + p)))
    if df > 0:
        pval = float(stats.chi2.sf(chi2, df))
        rmsea = float(np.sqrt(max(chi2 - df, 0.0) / (df * n)))
        tli = ((chi2_base / df_base) - (chi2 / df)) / ((chi2_base / df_base) - 1.0)
    else:
        pval = float("nan")
        rmsea = 0.0
        tli = 1.0
    denom = max(chi2_base - df_base, chi2 - df, 0.0)
    cfi = 1.0 - max(chi2 - df, 0.0) / denom if denom > 0 else 1.0
    return {
        "chi2": chi2,
        "df": float(df),
        "p": pval,
        "cfi": float(cfi),
        "tli": float(tli),
        "rmsea": rmsea,
        "srmr": srmr,
    }
