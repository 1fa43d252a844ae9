//! When and how long to wait before sending a failed request again.
//!
//! Only failures that signal a temporary condition are retried (connections refused,
//! reset or broken before a complete answer, timeouts, 429, 502, 503, 504), and only
//! for methods where sending twice cannot do something twice: `GET` and `HEAD` by
//! default, `PUT`, `DELETE` and `OPTIONS` on request, `POST` and `PATCH` never. Waits
//! grow exponentially with random jitter so that many clients do not retry in
//! lockstep, a `Retry-After` header overrides them, and both the number of attempts
//! and the total time are bounded.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime};

use reqwest::Method;

/// How the client retries requests that failed for a temporary reason.
///
/// ```
/// use std::time::Duration;
/// use headout_client::runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(250))
///     .max_elapsed(Duration::from_secs(120));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    retry_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three attempts in all, waiting about 0.5 s then 1 s (with jitter), never
    /// more than 8 s at once nor past 60 s since the first attempt; `GET` and `HEAD`
    /// only.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
            retry_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retries: every request is sent exactly once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in all, the first one included (1 disables
    /// retries; 0 is read as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the wait before the first retry; each later wait doubles it.
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets the longest computed wait between two attempts (a `Retry-After` header
    /// may ask for more, within [`max_elapsed`](Self::max_elapsed)).
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Sets the time budget: no retry starts once its wait would end later than
    /// this long after the first attempt started.
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Also retries `PUT`, `DELETE` and `OPTIONS`, which HTTP defines as idempotent.
    /// Enable it only when the API honours that; `POST` and `PATCH` are never
    /// retried.
    pub fn retry_idempotent(mut self, enabled: bool) -> Self {
        self.retry_idempotent = enabled;
        self
    }

    /// Whether requests with `method` may be retried at all under this policy.
    pub(crate) fn allows(&self, method: &Method) -> bool {
        if self.max_attempts <= 1 {
            return false;
        }
        if *method == Method::GET || *method == Method::HEAD {
            return true;
        }
        self.retry_idempotent
            && (*method == Method::PUT || *method == Method::DELETE || *method == Method::OPTIONS)
    }

    /// How long to wait before attempt number `attempts_done + 1`, or `None` when
    /// the attempts or the time budget are used up. `retry_after` is the server's
    /// own wait, which replaces the computed one.
    pub(crate) fn next_delay(
        &self,
        attempts_done: u32,
        started: Instant,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempts_done >= self.max_attempts {
            return None;
        }
        let delay = retry_after.unwrap_or_else(|| self.backoff(attempts_done));
        let ends_at = started.elapsed().checked_add(delay)?;
        (ends_at <= self.max_elapsed).then_some(delay)
    }

    /// The jittered exponential wait after `attempts_done` failed attempts: a
    /// random point in the upper half of `initial × 2^(attempts_done − 1)`, capped
    /// at `max_backoff`. Keeping the lower half out guarantees some backoff while
    /// the jitter still spreads clients apart.
    fn backoff(&self, attempts_done: u32) -> Duration {
        let doublings = attempts_done.saturating_sub(1).min(31);
        let base = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        base.mul_f64(0.5 + 0.5 * random_fraction())
    }
}

/// A random number in `[0, 1)`. The standard library's hash keys are seeded
/// randomly per process and change with every `RandomState`, which is all the
/// randomness jitter needs, without a dependency on a random number crate.
fn random_fraction() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (hasher.finish() >> 11) as f64 / (1_u64 << 53) as f64
}

/// Reads a `Retry-After` header: a number of seconds (fractions accepted) or an
/// HTTP date. Anything unreadable is ignored, falling back to the computed backoff.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let when = SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(
        u64::try_from(when.timestamp_millis()).ok()?,
    ))?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_bounded() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(300));
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = policy.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let capped = policy.backoff(10);
            assert!(capped >= Duration::from_millis(150) && capped <= Duration::from_millis(300));
        }
    }

    #[test]
    fn attempts_and_budget_are_bounded() {
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(5));
        let now = Instant::now();
        assert!(policy.next_delay(1, now, None).is_some());
        assert!(policy.next_delay(3, now, None).is_none());
        assert!(
            policy
                .next_delay(1, now, Some(Duration::from_secs(10)))
                .is_none()
        );
        assert_eq!(
            policy.next_delay(1, now, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn methods() {
        let policy = RetryPolicy::default();
        assert!(policy.allows(&Method::GET));
        assert!(!policy.allows(&Method::POST));
        assert!(!policy.allows(&Method::PUT));
        let idempotent = policy.clone().retry_idempotent(true);
        assert!(idempotent.allows(&Method::PUT));
        assert!(!idempotent.allows(&Method::POST));
        assert!(!idempotent.allows(&Method::PATCH));
        assert!(!RetryPolicy::none().allows(&Method::GET));
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after(" 0.25 "),
            Some(Duration::from_millis(250))
        );
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
    }
}
