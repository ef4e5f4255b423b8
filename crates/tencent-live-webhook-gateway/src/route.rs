//! The routing rule: where a verified notification goes, decided from what it is and
//! which outlets are configured, as plain data. The pipeline carries the plan out.

use tencent_live_webhook::Family;

use crate::options::AppFailure;

/// The outlets configured for one family of notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // one switch per outlet: the rule is a table over them
pub struct Configured {
    /// `--spool`.
    pub spool: bool,
    /// `--publish` (without a spool: with one, the spool publishes).
    pub publish: bool,
    /// `--forward-to` (`--trtc-forward-to` for TRTC callbacks).
    pub forward: bool,
    /// `--record` (Live webhooks only: a replay signs queries afresh).
    pub record: bool,
    /// `--on-app-failure`.
    pub on_app_failure: AppFailure,
}

/// What to do with one notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Record it (when asked), store it, answer the ack once it is on disk; its line is
    /// offered to the output without waiting.
    Spool {
        /// Whether it is recorded first.
        record: bool,
    },
    /// Record it (when asked), publish it, answer the ack once the broker has it; its
    /// line is offered without waiting.
    Publish {
        /// Whether it is recorded first.
        record: bool,
    },
    /// Send it to the app and answer with the app's answer; record it (when asked) with
    /// how that went, print it, and answer once its line is out.
    Forward {
        /// Whether it is recorded after forwarding.
        record: bool,
        /// The answer when the app gives none that can be passed on.
        if_app_fails: IfAppFails,
    },
    /// Answer the ack once it is recorded (when asked) and its line is out.
    Print {
        /// Whether it is recorded.
        record: bool,
    },
}

/// The answer when the app is down, too slow, or answers something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfAppFails {
    /// 502: the sender sees a failure (and applies its own failure policy).
    Fail,
    /// The callback's allowing reply: the action goes ahead.
    Allow,
    /// The callback's refusing reply, with HTTP 200: the action is refused.
    Refuse,
}

/// Where a notification of `family` goes: the spool before the broker before the app,
/// except for a blocking callback (a gift, a Chat "before" callback: its sender waits for
/// the app's decision), which always goes to the app when there is one.
pub fn plan(family: Family, blocking: bool, configured: Configured) -> Plan {
    let record = configured.record && family == Family::Live;
    if configured.spool && !blocking {
        return Plan::Spool { record };
    }
    if configured.publish && !blocking {
        return Plan::Publish { record };
    }
    if configured.forward {
        let if_app_fails = match configured.on_app_failure {
            AppFailure::Allow if blocking => IfAppFails::Allow,
            AppFailure::Reject if blocking => IfAppFails::Refuse,
            _ => IfAppFails::Fail,
        };
        return Plan::Forward {
            record,
            if_app_fails,
        };
    }
    Plan::Print { record }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the sender is answered, in words, for a plan and how the app behaved:
    /// `stored`, `published`, `ack`, `app` (the app's own answer), `allow`, `refuse` or
    /// `502`.
    fn answered(plan: Plan, app: App) -> &'static str {
        match plan {
            Plan::Spool { .. } => "stored",
            Plan::Publish { .. } => "published",
            Plan::Print { .. } => "ack",
            Plan::Forward { if_app_fails, .. } => match (app, if_app_fails) {
                (App::Up, _) => "app",
                (App::Down | App::Slow | App::Garbage, IfAppFails::Allow) => "allow",
                (App::Down | App::Slow | App::Garbage, IfAppFails::Refuse) => "refuse",
                (App::Down | App::Slow | App::Garbage, IfAppFails::Fail) => "502",
            },
        }
    }

    #[derive(Debug, Clone, Copy)]
    enum App {
        Up,
        Down,
        Slow,
        Garbage,
    }

    /// The whole rule as a table: every outlet combination, both families, blocking or
    /// not, both failure policies, the app up, down, slow or answering garbage.
    #[test]
    fn every_outlet_combination_routes_as_documented() {
        let mut rows = 0;
        for bits in 0..16u8 {
            for on_app_failure in [AppFailure::Tencent, AppFailure::Allow, AppFailure::Reject] {
                let configured = Configured {
                    spool: bits & 1 != 0,
                    publish: bits & 2 != 0,
                    forward: bits & 4 != 0,
                    record: bits & 8 != 0,
                    on_app_failure,
                };
                for (family, blocking) in [
                    (Family::Live, false),
                    (Family::Live, true),
                    (Family::Trtc, false),
                ] {
                    let plan = plan(family, blocking, configured);
                    for app in [App::Up, App::Down, App::Slow, App::Garbage] {
                        rows += 1;
                        let expected = expected(configured, blocking, app);
                        assert_eq!(
                            answered(plan, app),
                            expected,
                            "{configured:?} {family:?} blocking={blocking} {app:?} -> {plan:?}"
                        );
                    }
                    let recorded = match plan {
                        Plan::Spool { record }
                        | Plan::Publish { record }
                        | Plan::Forward { record, .. }
                        | Plan::Print { record } => record,
                    };
                    assert_eq!(
                        recorded,
                        configured.record && family == Family::Live,
                        "{configured:?} {family:?}: only Live webhooks are recorded"
                    );
                }
            }
        }
        assert_eq!(rows, 16 * 3 * 3 * 4);
    }

    /// The rule written the other way round, from the documentation of `serve`.
    fn expected(c: Configured, blocking: bool, app: App) -> &'static str {
        // Blocking callbacks (a gift, a Chat "before" callback) never wait in a spool or a
        // queue: Tencent waits for the app's decision.
        if blocking && !c.forward {
            return "ack";
        }
        if blocking {
            return match (app, c.on_app_failure) {
                (App::Up, _) => "app",
                (_, AppFailure::Allow) => "allow",
                (_, AppFailure::Reject) => "refuse",
                (_, AppFailure::Tencent) => "502",
            };
        }
        if c.spool {
            "stored"
        } else if c.publish {
            "published"
        } else if c.forward {
            // The failure policy is for blocking callbacks only.
            if matches!(app, App::Up) { "app" } else { "502" }
        } else {
            "ack"
        }
    }

    #[test]
    fn a_trtc_callback_is_never_blocking_and_never_recorded() {
        let configured = Configured {
            spool: false,
            publish: false,
            forward: true,
            record: true,
            on_app_failure: AppFailure::Allow,
        };
        assert_eq!(
            plan(Family::Trtc, false, configured),
            Plan::Forward {
                record: false,
                if_app_fails: IfAppFails::Fail
            }
        );
    }
}
