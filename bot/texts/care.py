"""The care team's words: alerts, the report's first page, plan adjustments (issue 16). Read through
`bot.texts` (which imports them all), never directly."""

from __future__ import annotations

from bot.texts.plural import Plural

# ---- care team: alerts (issue 16)
ALERT_SEPARATOR = "\n\n"  # between the alerts of one message (a burst within 10 minutes)
ALERT_AND = " and "
MAX_MESSAGE = 4096  # Telegram's limit for a message's text
ALERT_RULE = "{cause} [{rule}]"  # the rule's identifier, for the record, after the plain words
ALERT_CAUSE_WORDS = {"pause_requested": "{runner} asked to pause"}  # said to the runner as "you asked"
DROP_BACK_PAIN_CAUSE = "bone pain {pain} in the run of {day} (drop back from {line}/10, or pain during and after)"
DROP_BACK_PAIN_NO_SESSION = "bone pain during or after a run ({line}/10 or more, or during and after)"
SESSION_PAIN_DURING, SESSION_PAIN_AFTER = "{value}/10 during", "{value}/10 after"
SORENESS_CAUSE = "bone pain {pain}/10 the morning after running (1-2 drops back, {line} pauses)"
GAP_CAUSE = "a break from running"
DROP_BACK_TO = " to level {level}"
RESUME_CAUSES = {
    "resume_clinician_cleared": "cleared by a clinician, then a check-in without symptoms",
    "resume_requested": "{runner} asked to resume after {days} check-ins without symptoms",
}
RESUME_CAUSE_DEFAULT = "the pause ended"
ALERT_SILENT = Plural(
    "📭 No check-in from {runner} since {day} ({days} day).",
    "📭 No check-in from {runner} since {day} ({days} days).",
    "days",
)
ALERT_SILENT_NEVER = Plural(
    "📭 No check-in from {runner} since they started on {day} ({days} day).",
    "📭 No check-in from {runner} since they started on {day} ({days} days).",
    "days",
)
ALERT_BACK = Plural(
    "📬 {runner} checked in again after {days} day.", "📬 {runner} checked in again after {days} days.", "days"
)
NUDGE_HEADER = Plural(  # the morning prompt after 2 silent days (instead of one more message)
    "Good morning{name}! We haven't heard from you for {days} day, and that's fine: your check-in for {day} "
    "takes 9 taps and keeps your plan, and your care team, in step.",
    "Good morning{name}! We haven't heard from you for {days} days, and that's fine: your check-in for {day} "
    "takes 9 taps and keeps your plan, and your care team, in step.",
    "days",
)
WEEKLY_ALERTS_HEADER = "Alerts about {runner} this week (you chose to read these here):"
ALERTS_BUTTON = "Alerts"
ALERT_KIND_NAMES = {
    "resume": "Plan resumed",
    "drop_back": "Drop back a level",
    "missed_checkins": "Missed check-ins (and back)",
    "adjustment": "The runner's own plan changes",
}
ALERT_MODE_NAMES = {"now": "at once", "summary": "in the weekly summary"}
ALERT_PREF_BUTTON = "{kind}: {mode}"
ALERT_PREFS_MENU = (
    "Which alerts come at once? A pause always comes at once (safety). Tap one to switch it between "
    '"at once" and "in the weekly summary"; it applies to every runner you follow.'
)
ALERT_PREFS_SAVED = "Saved: {kind} {mode}."
SILENCE_BUTTON = Plural("Missed check-in alert after {days} day", "Missed check-in alert after {days} days", "days")
ASK_SILENCE_DAYS = "After how many days without a check-in should {runner}'s care team be alerted?"
SILENCE_DAYS_BUTTON = Plural("{days} day", "{days} days", "days")
SILENCE_DAYS_SAVED = Plural(
    "Saved: {runner}'s care team is alerted after {days} day without a check-in.",
    "Saved: {runner}'s care team is alerted after {days} days without a check-in.",
    "days",
)
NOT_FOLLOWING_ANYONE = "Alert settings are for coaches and clinicians who follow a runner."

# ---------------------------------------------------------------- the care team (coach, clinician)
ROLE_NAMES = {"coach": "coach", "clinician": "clinician (physio or doctor)"}
ROLE_RIGHTS = {
    "coach": "sees your plan, check-ins and sessions",
    "clinician": "sees your plan, check-ins and sessions, and can clear a resume, confirm your readiness "
    "and health (REDs) reviews, and adjust your plan (only ever more careful)",
}
ASK_SHARE_ROLE = "Who do you want to invite? A coach sees your plan and answers; a clinician can also clear you."
SHARE_LINK = (
    "Send this link to your {role}. It works once, for 48 hours:\n{link}\n\n"
    "Or they can send me this code: {code}\n\nNothing is shared until you confirm them."
)
INVITE_INVALID = "That invitation code isn't valid. Ask the runner for a new link (/share)."
INVITE_EXPIRED = "That invitation has expired (they last 48 hours). Ask the runner for a new one."
INVITE_USED = "That invitation has already been used. Ask the runner for a new one."
INVITE_SELF = "That's your own invitation: send it to your coach or clinician."
INVITE_OFFER = "{runner} invites you to follow their return to running as their {role}: you {rights}. Accept?"
FOLLOWER_RIGHTS = {  # the invitation, as the follower reads it
    "coach": "will see their plan, check-ins and sessions",
    "clinician": "will see their plan, check-ins and sessions, and can clear a resume, confirm their readiness "
    "and health (REDs) reviews, and adjust their plan (only ever more careful)",
}
INVITE_DECLINED = "Declined. Nothing was shared."
INVITE_WAITING = "Thanks! {runner} will confirm you, then you'll see them in /runners."
ASK_FOLLOWER_ZONE = "Which time zone are you in? (Your weekly summary comes on Sunday evening your time.)"
CONFIRM_FOLLOWER = (
    "{follower} accepted your invitation as your {role}: they'll see your data once you confirm. Confirm?"
)
FOLLOWER_CONFIRMED_RUNNER = "Done: {follower} now follows you as your {role}. /team lists your care team."
FOLLOWER_CONFIRMED = "{runner} confirmed you. You'll be alerted at once if their plan pauses. /runners shows them."
FOLLOWER_REFUSED_RUNNER = "Refused: {follower} sees nothing of yours."
FOLLOWER_REFUSED = "{runner} did not confirm the invitation. Nothing is shared."
TEAM_EMPTY = "Nobody follows you yet. /share invites a coach or clinician."
TEAM_HEADER = "Your care team (tap to remove someone at once):"
TEAM_REMOVED = "Removed: {follower} no longer sees anything of yours."
TEAM_REMOVED_FOLLOWER = "{runner} removed you from their care team."
RUNNERS_EMPTY = "You don't follow anyone. A runner can invite you with /share."
RUNNERS_HEADER = "Runners you follow:"
NOT_FOLLOWING = "You don't follow this runner (any more)."
NOT_CLINICIAN = "Only a clinician the runner invited as such can do that."
FOLLOWER_LEFT = "You no longer follow {runner}."
FOLLOWER_LEFT_RUNNER = "{follower} stopped following you."
ASK_CLEARANCE = "Record that you have cleared {runner} to resume running, as of today ({day})?"
CLEARANCE_RECORDED = "Recorded: you cleared {runner} to resume on {day}."
CLEARED_RUNNER = "{clinician} cleared you to resume running on {day}."
NOT_YET_RECORDED = "Recorded: not yet cleared. {runner} is told."
NOT_YET_RUNNER = "{clinician} reviewed your pause: not cleared to resume yet. Keep following their advice."
REVIEW_RECORDED = "Recorded: {what} confirmed for {runner} on {day}."
REVIEW_RUNNER = "{clinician} confirmed your {what} on {day}."
ALERT_PAUSE = "⏸ {runner}'s plan is paused ({day}).\nWhy: {rules}\nAnswers: {answers}\n\nWhat resuming needs: {resume}"
ALERT_RESUME = "▶ {runner}'s plan resumed on {day}: {why}. Today: {plan}"
ALERT_DROP = "↓ {runner} drops back{to} ({day}): {rules}. Today: {plan}"
WEEKLY_HEADER = "Weekly summary for {runner} ({first} – {last}):"
REEVALUATE_HEADER = (
    "4-weekly re-evaluation for {runner}: take this to the clinician and ask whether the plan still fits."
)
PROGRESS_CAPTION = "{runner}: {summary}"
REPORT_CAPTION = "{runner}'s last 4 weeks, for the clinician."
REPORT_SENT = Plural(
    "Your 4-week report is on its way to your clinician: {names}.",
    "Your 4-week report is on its way to your clinicians: {names}.",
    "count",
)
REPORT_NO_CLINICIAN = "Here's your 4-week report: forward it to your clinician (or invite them with /share)."

# ---- care team: the report's first page (issue 16)
# the report's first page (bot/report_page.py)
FIRST_PAGE_PERIOD = "{first} to {last}"
FIRST_PAGE_TODAY = "Today: {stage}"
FIRST_PAGE_ADJUSTMENT = "Care-team adjustment: {adjustment}"
FIRST_PAGE_NO_ADJUSTMENT = "none (the protocol as written)"
FIRST_PAGE_CHECKINS = "Check-ins: {done} of {expected} days ({percent})"
FIRST_PAGE_SESSIONS = "Prescribed sessions done: {done} of {expected} ({percent})"
FIRST_PAGE_NO_DAYS = "No days logged in this period"
FIRST_PAGE_PAUSED = "paused"
FIRST_PAGE_PAIN_SERIES = {
    "during": "bone pain during",
    "after": "bone pain after",
    "next morning": "bone pain next morning",
}
FIRST_PAGE_PAIN_AXIS = "bone pain (0-10)"
FIRST_PAGE_CHART_TITLE = "Bone pain against run minutes"
FIRST_PAGE_CHART_NOTE = "A day without a mark had no bone pain reported (or no report)."
FIRST_PAGE_EVENTS = "Red flags and pauses"
FIRST_PAGE_NO_EVENTS = "none in this period"
FIRST_PAGE_MORE_EVENTS = Plural("... and {n} more in the daily table", "... and {n} more in the daily table", "n")
FIRST_PAGE_TITLE = "RunBack report: {runner}"  # the period is printed under it
STAGE_LEVEL_INTERVALS = "Level {level}: {reps} x ({run} min run / {walk} min walk)"
STAGE_LEVEL_CONTINUOUS = "Level {level}: {run} min continuous run"
STAGE_BUILD = Plural(
    "Build phase: {runs} run, {minutes:g} min in the last 7 days",
    "Build phase: {runs} runs, {minutes:g} min in the last 7 days",
    "runs",
)
STAGE_NOT_RUNNING = "Not running yet"
STAGE_NO_PLAN = "No plan decided yet"
STAGE_PAUSED = "Paused since {day}"
STAGE_TODAY = "{stage}; today: {action}"
STAGE_ACTIONS = {"run_walk": "run", "rest": "rest day", "cross_train": "cross-training", "strength": "strength"}
ADJUSTMENT_SET_BY = "{plan} (set by {name}, {role}, on {day})"
ADJUSTMENT_SELF_RECORDED = "{plan} (self-recorded on {day})"
FIRST_PAGE_PAUSE = "pause: {causes}"
FIRST_PAGE_PAUSE_ENDED = "pause: {causes}; resumed {ended}"
FIRST_PAGE_RED_FLAG = "red flag: {causes}"
FIRST_PAGE_CAUSE = "{words} [{rule}]"

# the care team's buttons and views
ROLE_BUTTONS = {"coach": "Coach", "clinician": "Clinician"}
ACCEPT, DECLINE_INVITATION = "Accept", "Decline"
CONFIRM, REFUSE = "Confirm", "Refuse"
REMOVE_FOLLOWER_BUTTON = "Remove {follower}"
TEAM_LINE = "• {follower}: {role}, since {since}{state}"
TEAM_WAITING = " (waiting for your confirmation)"
RUNNER_BUTTON = "{runner} ({role})"
UNNAMED_RUNNER = "Your runner"
UNNAMED_FOLLOWER = "They"
VIEW_STATUS = "{runner}: plan {status}."
STATUS_PAUSED, STATUS_ACTIVE = "PAUSED", "active"
VIEW_TODAY = "Today ({day}): {plan}"
VIEW_CHECKIN = "Today's check-in: {answers}"
VIEW_NO_CHECKIN = "not yet"
VIEW_ACTIONS = "Actions:"
PROGRESS_BUTTON = "Progress chart"
CLEARED_BUTTON = "Cleared to resume"
CONFIRM_REDS_BUTTON = "Confirm REDs review"
CONFIRM_READINESS_BUTTON = "Confirm readiness"
STOP_FOLLOWING_BUTTON = "Stop following"
YES_CLEARED = "Yes, cleared"
VIEW_BUTTON = "View"
REVIEW_WHAT = {"reds_review_confirmed": "health (REDs) review", "readiness_confirmed": "readiness to run"}
ANSWER_SHOWN = "{label} {value}"
NO_CHECKIN = "no check-in"
SUMMARY_RUNS = Plural(
    "{runs} run, {minutes:g} run minutes; level {level}.",
    "{runs} runs, {minutes:g} run minutes; level {level}.",
    "runs",
)
SUMMARY_PAIN = Plural(
    "Worst bone pain {pain}/10; {paused} paused day.", "Worst bone pain {pain}/10; {paused} paused days.", "paused"
)
NO_LEVEL = "–"
CHECKINS_MISSED = "Check-ins missed: {missed}."
CHART_TITLE = "{runner}: return to running"
CHART_TITLE_WEEK = "{runner}: last 7 days"
CHART_TITLE_FOUR_WEEKS = "{runner}: last 4 weeks"
REPORT_TITLE = "RunBack report: {runner}, {first} to {last}"
REPORT_FILENAME = "runback-report-{day}.pdf"
ANSWER_YES, ANSWER_NO = "yes", "no"  # a yes/no answer shown back
HISTORY_TABLE_HEADER = ("date   rest walk am  plan        ran pain", "------ ---- ---- --  ----------  --- ----")
HISTORY_PAUSED = "PAUSE"
TODAY_PLAN_HEADER = "Today ({day}):"
HISTORY_HEADER = "Last 14 days (pain 0–10; ran = run minutes; pain = during/after):"
ASK_RUN_MINUTES_TYPED = "Please tap a number of minutes, or type one from 0 to 1440."
ONBOARDING_NOT_CANCELLED = "Set-up isn't finished yet: answer the last question to go on."
CHECKIN_ANSWER_SHOWN = "✓ {label}: {value}"
DELETE_YES = "Yes, delete everything"
EXPORT_DAILY_FILENAME, EXPORT_ALL_FILENAME = "runback-daily-log.csv", "runback-export.json"
PLAN_NOW_HEADER = "Today's plan now:"
SETTINGS_NOW = (
    "\n\nNow: {site}, diagnosed {diagnosed}, cleared {cleared}, {minutes} min over {runs} runs a week before the "
    "injury; check-in at {time} ({zone})."
)
NOT_YET_LOWER = "not yet"

# what a runner may write, read as a request (lower case, apostrophes straightened, end punctuation dropped)
TODAY_PHRASES = (
    "what's today",
    "whats today",
    "what is today",
    "today",
    "plan for today",
    "today's plan",
    "todays plan",
    "what should i do today",
    "plan",
    "what now",
    # German
    "was steht heute an",
    "was ist heute dran",
    "was ist heute",
    "heute",
    "plan für heute",
    "plan heute",
    "was soll ich heute machen",
    "was jetzt",
    # Spanish
    "qué toca hoy",
    "que toca hoy",
    "qué hay hoy",
    "que hay hoy",
    "hoy",
    "plan de hoy",
    "plan para hoy",
    "el plan",
    "qué hago hoy",
    "que hago hoy",
    # Russian
    "что сегодня",
    "что на сегодня",
    "сегодня",
    "план",
    "план на сегодня",
    "что мне делать сегодня",
    "что делать сегодня",
)
TODAY_PHRASE_STARTS = (
    "what's today",
    "whats today",
    "what is the plan",
    "was steht heute",
    "was ist der plan",
    "qué toca hoy",
    "que toca hoy",
    "cuál es el plan",
    "cual es el plan",
    "что сегодня",
    "какой план",
)
PAIN_WORDS = (
    "hurt",
    "pain",
    "sore",
    "ache",
    "aching",
    "tender",
    "swollen",
    "swelling",
    "limp",
    # German
    "tut weh",
    "schmerz",
    "weh tut",
    "geschwollen",
    "schwellung",
    "humpel",
    "druckempfindlich",
    # Spanish
    "duele",
    "dolor",
    "molestia",
    "hinchad",
    "cojeo",
    "cojera",
    # Russian
    "болит",
    "боль",
    "ноет",
    "опух",
    "отёк",
    "отек",
    "хромаю",
)

# the progress chart
CHART_DEFAULT_TITLE = "Return to running"
CHART_EMPTY = "No days logged yet"
CHART_RUN_MINUTES = "run minutes"
CHART_WEEKLY_CAP = "weekly cap ÷ 7"
CHART_LEVEL = "level"
CHART_BONE_PAIN = "bone pain (0–10)"
CHART_LEVEL_AND_PAIN = "level / pain"

# ---- care team: plan adjustments (issue 16)
# what the clinician (or the runner, self-recorded) sees while adjusting a plan
ADJUST_BUTTON = "Adjust the plan"
ADJUST_EDITOR = (
    "Adjusting {runner}'s plan. Limits only ever make the protocol more careful: a value that would loosen it "
    "is not offered.\n\n{in_force}\nDraft: {draft}.\n\nTap a limit to change it."
)
ADJUST_EDITOR_SELF = (
    "Record your clinician's instructions. They are kept as self-recorded (your clinician does not use "
    "RunBack), and they only ever make the plan more careful.\n\n{in_force}\nDraft: {draft}.\n\n"
    "Tap a limit to change it."
)
ADJUST_FIELD_LABELS = {
    "max_level": "Hold at or below level",
    "min_days_per_level": "Days per level",
    "clean_sessions_per_level": "Pain-free sessions per level",
    "max_runs_per_week": "Runs a week (build phase)",
    "max_weekly_increase_pct": "Weekly increase",
    "cross_training": "Cross-training",
    "resume_needs_clinician": "Every pause needs my clearance",
    "no_hops_before_level": "No hops before level",
}
ADJUST_SELF_RESUME_LABEL = "Every pause needs my clinician's clearance"
ADJUST_FIELD_BUTTON = "{label}: {value}"
ADJUST_VALUE_UNITS = {
    "max_level": "{value}",
    "min_days_per_level": "{value} days",
    "clean_sessions_per_level": "{value}",
    "max_runs_per_week": "{value}",
    "max_weekly_increase_pct": "{value}%",
    "no_hops_before_level": "{value}",
}
ADJUST_NO_LIMIT = "no limit"
ADJUST_NO_LIMIT_BUTTON = "No limit"
ADJUST_ON, ADJUST_OFF = "on", "off"
ADJUST_NO_MODES = "none"
ADJUST_MODE_NAMES = {"pool": "pool running", "cycling": "cycling", "elliptical": "elliptical"}
ADJUST_MODE_ALLOWED, ADJUST_MODE_FORBIDDEN = "✓ {mode}", "✗ {mode}"
ADJUST_ALL_MODES_BUTTON = "All modes (no limit)"
ADJUST_PICK_VALUE = "{label}: pick a value. Only values more careful than the protocol's for {runner} are offered."
ADJUST_PICK_MODES = "Cross-training {runner} may do (tap to allow or forbid): {modes}."
ADJUST_BACK = "‹ Back"
ADJUST_REVIEW_BUTTON = "Review and confirm"
ADJUST_CLEAR_BUTTON = "Clear all adjustments"
ADJUST_CANCEL_BUTTON = "Cancel"
ADJUST_CONFIRM_BUTTON = "Confirm"
ADJUST_REVIEW = "Confirm this adjustment for {runner}: {summary}.\n\n{runner} is told at once."
ADJUST_REVIEW_CLEAR = (
    "Clear every adjustment for {runner}: the protocol's plan applies again.\n\n{runner} is told at once."
)
ADJUST_REVIEW_SELF = (
    "Confirm your clinician's instructions: {summary}.\n\nThis is recorded as self-recorded (your word for "
    "what your clinician said): only confirm what they told you."
)
ADJUST_REVIEW_SELF_CLEAR = "Clear every recorded instruction: the protocol's plan applies again. Confirm?"
ADJUST_UNCHANGED = "That is the adjustment already in force: nothing to confirm."
ADJUST_SAVED = "Saved for {runner} on {day}: {summary}. {runner} is told."
ADJUST_SAVED_CLEAR = "Cleared for {runner} on {day}: the protocol's plan applies again. {runner} is told."
ADJUST_SAVED_SELF = "Recorded as self-recorded on {day}: {summary}."
ADJUST_SAVED_SELF_CLEAR = "Recorded as self-recorded on {day}: no adjustments, the protocol's plan applies again."
ADJUST_CANCELLED = "Nothing was changed."
ADJUST_RUNNER = "{clinician}, your clinician, adjusted your plan on {day}: {summary}."
ADJUST_RUNNER_CLEAR = "{clinician}, your clinician, cleared the adjustments to your plan on {day}."
ADJUST_FOLLOWERS = "{actor} (clinician) adjusted {runner}'s plan on {day}: {summary}."
ADJUST_FOLLOWERS_CLEAR = "{actor} (clinician) cleared the adjustments to {runner}'s plan on {day}."
ADJUST_FOLLOWERS_SELF = "{runner} recorded their clinician's instructions on {day} (self-recorded): {summary}."
ADJUST_FOLLOWERS_SELF_CLEAR = "{runner} cleared their self-recorded instructions on {day}."
ADJUST_STALE = "That adjustment screen is no longer open. Nothing was changed: open the editor again."
ADJUST_MOVED_ON = "The plan was adjusted meanwhile, so nothing was changed. Open the editor again to see it."
ADJUST_NO_PROFILE = "This runner hasn't finished setting up yet: there is no plan to adjust."
# where the adjustment in force is shown: /runners, the weekly and 4-weekly summaries, /report
ADJUSTMENT_IN_FORCE = "Adjustment in force: {summary} (set by {actor}, clinician, on {day})."
ADJUSTMENT_IN_FORCE_SELF = "Adjustment in force: {summary} (self-recorded on {day})."
ADJUSTMENT_NONE = "Adjustment in force: none."
UNNAMED_CLINICIAN = "a clinician"
SELF_RECORDED = "self-recorded"
# "My clinician says: stay at level 4" (lower case, as TODAY_PHRASES)
CLINICIAN_PHRASE_STARTS = (
    "my clinician says",
    "my physio says",
    "my doctor says",
    "my clinician said",
    "meine ärztin sagt",
    "mein arzt sagt",
    "mein physio sagt",
    "meine physio sagt",
    "mi médico dice",
    "mi medico dice",
    "mi fisio dice",
    "mi médica dice",
    "врач говорит",
    "мой врач говорит",
    "врач сказал",
)

DEMO_BUTTON_GONE = "(that button is gone: its message has changed since; use the newest buttons)"
