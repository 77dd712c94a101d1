// A realistic loss: the negative log-likelihood of one observation under a normal distribution,
// parameterised by its mean and log standard deviation.
// check: negLogLikelihood(0.3, -0.2, 1.1)
// check: negLogLikelihood(-1.4, 0.8, 0.25)

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** @differentiable(wrt: mean, logSigma) */
export function negLogLikelihood(mean: number, logSigma: number, observation: number): number {
  const z = (observation - mean) / Math.exp(logSigma);
  return 0.5 * z * z + logSigma + LOG_SQRT_2PI;
}
