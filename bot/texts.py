"""Every word the bot says, in one place: English templates, translated by the catalogs in bot/locales
(`bot.i18n.texts_for(code)` reads this module in a language). Engine decisions bring their own message."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from engine.language import ENGLISH, Language


@dataclass(frozen=True)
class Plural:
    """A text whose words follow a count: `.format(**values)` picks the form for `values[count]` (ngettext:
    Russian has three forms, English two)."""

    singular: str
    plural: str
    count: str
    language: Language = ENGLISH

    def format(self, **values: Any) -> str:
        return self.language.ngettext(self.singular, self.plural, int(values[self.count])).format(**values)

    def translated(self, language: Language) -> Plural:
        return replace(self, language=language)


DISCLAIMER = (
    "RunBack is a coaching aid, not a diagnosis or treatment. Follow your clinician: their advice comes "
    "before anything this bot says."
)

WELCOME = (
    "Hi! I'm RunBack. I bring you back to running after a minor stress fracture, one safe step at a time.\n\n"
    "Each morning I ask a few one-tap questions about pain, sleep and fatigue, and give you the day's plan: "
    "a run-walk session, cross-training, strength work or rest. I never move you up while anything hurts, "
    "and I pause the plan at once if pain crosses a safety line.\n\n"
    f"{DISCLAIMER}\n\n"
    "To coach you I need to store your answers about pain and training. They stay private to you; "
    "/export gives you a copy and /delete erases everything. Do you agree?"
)
CONSENT_DECLINED = "No problem: I've stored nothing about your health. Send /start if you change your mind."
ASK_SITE = (
    "Where is the stress fracture? Sites marked ⚠ are high risk: running there needs your clinician's clearance first."
)
HIGH_RISK_SITE = (
    "⚠ {site} is a high-risk site. I'll only prescribe running after your clinician has cleared you, and "
    "every restart after a pause will need their clearance again."
)
ASK_DIAGNOSED = 'When was it diagnosed? Type the date: 2026-09-14, 14.09., or e.g. "6 weeks ago".'
BAD_DATE = "I couldn't read that as a date. Please type it like 2026-09-14, 14.09., yesterday or 3 weeks ago."
FUTURE_DATE = "That date is in the future. Please type the date it was diagnosed."
ASK_CLEARED = "Has your clinician cleared you to start running again?"
ASK_CLEARED_DATE = 'From which date? Type it (2026-10-01, 01.10. or "yesterday"), or tap Today.'
ASK_WEEKLY_MINUTES = "Before the injury, how many minutes a week did you run? Tap one or type a number (e.g. 150)."
BAD_MINUTES = "Please type a whole number of minutes between 1 and 10080, e.g. 150."
ASK_RUNS_PER_WEEK = "And on how many days a week did you run?"
READINESS_INTRO = "A few readiness checks from the protocol (answer honestly: they decide whether running can start)."
READINESS_QUESTIONS = {
    "walk": "Can you walk briskly for 30 minutes without any pain?",
    "daily": "Are your daily activities (stairs, standing, carrying) pain-free?",
    "press": "Press firmly on the injury site: is it free of any sore spot?",
    "hops": (
        "Can you do 10 single-leg hops on the injured side without pain? (A test, not training. At a "
        "high-risk site only if your clinician approved it; otherwise answer No.)"
    ),
}
READINESS_PASSED = "All readiness checks passed. ✅"
READINESS_NOT_YET = (
    "Not all checks passed yet, so the plan starts with cross-training and strength work. "
    "Answer them again with /ready when things change."
)
READINESS_TOO_EARLY = (
    "Thanks. Your clearance date hasn't come yet, so answer these checks again with /ready on or after it."
)
REDS_INTRO = (
    "Four health questions that affect bone healing (the REDs screen). They are only seen by you and, if "
    "you add them later, your care team."
)
REDS_QUESTIONS = {
    "periods": "Have your periods been missed or irregular lately? (Tap N/A if it doesn't apply.)",
    "weight": "Have you lost weight without meaning to?",
    "eating": "Do you restrict what or how much you eat?",
    "previous": "Have you had a bone stress injury before this one?",
}
REDS_ADVICE = Plural(
    "You answered yes to {count} question: please talk to your clinician or a sports dietitian about it; low "
    "energy availability slows bone healing.",
    "You answered yes to {count} questions: please talk to your clinician or a sports dietitian about it; low "
    "energy availability slows bone healing.",
    "count",
)
REDS_REVIEW_NEEDED = (
    "With two or more yes answers, running starts only after a clinician has reviewed them. "
    "When they have, send /ready and confirm it."
)
ASK_REDS_REVIEW = "Has a clinician reviewed your answers to the health (REDs) questions?"
ASK_TIMEZONE = (
    "Which time zone are you in? Tap one, or type a zone (Europe/Berlin), a city (Lisbon) or an offset (UTC+5:30)."
)
BAD_TIMEZONE = "I don't know that time zone. Try a city (Berlin), a zone (Europe/Berlin) or UTC+5:30."
ASK_CHECKIN_TIME = "At what time should I send your morning check-in? Tap one or type a time (06:45)."
BAD_TIME = "Please type a time of day like 07:00."
ONBOARDED = (
    "All set! Your check-in will arrive every morning at {time} ({zone}). You can do today's now with "
    "/checkin. /help lists everything I can do."
)
ONBOARDING_RESUME = "Let's continue where we left off."

# The check-in questions, in order.
CHECKIN_QUESTIONS = {
    "pain_rest": "Bone pain at rest right now (0 = none, 10 = worst)?",
    "pain_walking": "Bone pain when walking (0–10)?",
    "pain_next_day": "Bone pain this morning at the injury site, after yesterday (0–10)?",
    "tenderness": "Press on the injury site: is there one spot that is tender?",
    "swelling": "Any swelling at the injury site?",
    "limping": "Are you limping?",
    "night_pain": "Did bone pain wake you or keep you awake last night?",
    "sleep_hours": "How many hours did you sleep?",
    "fatigue": "How tired do you feel (0 = fresh, 10 = exhausted)?",
}
CHECKIN_LABELS = {
    "pain_rest": "Pain at rest",
    "pain_walking": "Pain walking",
    "pain_next_day": "Pain this morning",
    "tenderness": "Tender spot",
    "swelling": "Swelling",
    "limping": "Limping",
    "night_pain": "Night pain",
    "sleep_hours": "Sleep",
    "fatigue": "Fatigue",
}
CHECKIN_SCREEN_HEADER = "Check-in for {day}:"
CHECKIN_BACK_BUTTON = "‹ Back"
CHECKIN_STEP = "({number} of {count})"
PROMPT_HEADER = "Good morning{name}! Your check-in for {day} (3 taps on a morning with no pain and no signs)."
REMINDER_HEADER = "A gentle reminder: your check-in for {day} is still open. No check-in means no run today."
SNOOZED = "Snoozed: I'll ask again in 30 minutes."
CHECKIN_DONE_HEADER = "Thanks, check-in for {day} done."
CHECKIN_ALREADY_DONE = "Today's check-in is already done. Here's today's plan:"
CHECKIN_CLOSED = "That check-in is closed, so I can't change it now. If pain changed, tell me with /pain."
STALE_BUTTON = "That button is from an older message and no longer works. Use /today or /checkin."
FORGED_BUTTON = "I didn't understand that button. Nothing was changed."
USE_BUTTONS = "Please answer with the buttons above (or /cancel to stop)."

# ---- fewer taps and watch files (issue 17)
NO_SIGNS_BUTTON = "No bone pain and no signs at all today"
NO_SIGNS_HINT = (
    "Nothing at all today? The top button answers the 7 symptom questions at once (pain 0; no tender spot, "
    "swelling, limp or night pain). Any pain at all: tap a number instead."
)
NO_SIGNS_SHOWN = (
    "✓ No pain, no signs: pain 0 at rest, when walking and this morning; no tender spot, swelling, limp or night pain."
)
NO_SIGNS_UNDO_HINT = "Not right? ‹ Back undoes it."
NO_SIGNS_REFUSED = "Some symptom answers are in already, so that button no longer applies: answer the question shown."
SESSION_LOG_HEADER = "Session for {day}:"
SESSION_FILE_LABEL = "Watch"
FILE_DATA = "{source} file, {total:g} min: {run:g} running and {walk:g} walking{extra}"
FILE_DISTANCE = ", {km:.1f} km"
FILE_HEART_RATE = ", average heart rate {hr}"
FILE_CADENCE = ", cadence {spm} steps/min"
FILE_SPORTS = {
    "running": "running",
    "walking": "walking",
    "cycling": "cycling",
    "swimming": "swimming",
    "other": "other",
}
FILE_COMPARED = {
    "more": "You ran {ran:g} of the {prescribed:g} prescribed minutes: that counts as more than planned.",
    "as_prescribed": "You ran {ran:g} of the {prescribed:g} prescribed minutes: that counts as done as planned.",
    "partial": "You ran {ran:g} of the {prescribed:g} prescribed minutes: that counts as part of it.",
}
FILE_NO_RUN_PRESCRIBED = "No run was prescribed for {day}: {ran:g} running minutes count as more than planned."
FILE_NO_PLAN_YET = "There is no plan for {day} yet (no check-in): {ran:g} running minutes count as more than planned."
SUMMARY_FILES = "From watch files: {count} session(s), {km:.1f} km."
FILE_WALK_ONLY = "No running in this file: logged as cross-training (a walk)."
FILE_THEN_ASK = "The file can't feel the bone: three taps for what only you know."
FILE_SAME_DAY = (
    "The session of {day} is logged already ({logged}). This file: {file}.\n\nReplace the log with this file, or "
    "add it as a second session that day?"
)
FILE_REPLACE_BUTTON, FILE_ADD_BUTTON = "Replace", "Add it"
FILE_LOGGED_TYPED = "typed"
FILE_NOT_ON_FOOT = (
    "That file is a {sport} session ({minutes:g} min on {day}). I log runs and walks from files; it can count as "
    "cross-training instead."
)
FILE_CROSS_TRAIN_BUTTON = "Log it as cross-training"
FILE_NOT_ON_FOOT_OLD = "That file is a {sport} session from {day}: too long ago to log it now. Nothing was logged."
FILE_DOWNLOAD_FAILED = "I couldn't fetch that file from Telegram just now. Nothing was logged: please send it again."
FILE_FINISH_FIRST = "Let's finish the question above first (or /cancel it), then send the file again."
FILE_REJECTED = {
    "empty": "That file is empty, so nothing was logged. Export the activity again and send the .gpx, .tcx or .fit.",
    "too_large": (
        "That file is over 20 MB, more than Telegram lets me download, so nothing was logged. Export just this "
        "activity (GPX, TCX or FIT) and send it again."
    ),
    "unknown_extension": (
        "I read activity files ending in .gpx, .tcx or .fit; nothing was logged. Export the run from your watch "
        "app in one of those and send it as a file, or log it with /log."
    ),
    "not_activity": (
        "That file isn't a recorded activity (a planned route or a workout?), so nothing was logged. Send the file "
        "of the run you did."
    ),
    "corrupt": "That file looks damaged or cut off, so nothing was logged. Export it again and resend it.",
    "no_timestamps": (
        "That track has no times (a planned route?), so I can't tell its day or minutes and nothing was logged. "
        "Send the recorded activity instead."
    ),
    "not_on_foot": "That file isn't a run or a walk, so nothing was logged. Log cross-training with /log.",
    "too_slow": "That file took too long to read, so nothing was logged. Send just this one activity, or use /log.",
    "too_complex": (
        "That file has too many points to read safely, so nothing was logged. Send just this one activity, or use /log."
    ),
    "too_old": "That session is from {day}, more than 7 days ago: too old to change the plan now. Nothing was logged.",
    "in_future": (
        "That session's date ({day}) is in the future: check your watch's date and time zone. Nothing was logged."
    ),
}
HISTORY_FILES_HEADER = "From watch files:"
HISTORY_FILE_LINE = "{day}: {data}"

TODAY_NEEDS_CHECKIN = "Check in first: no check-in means no run today (missing answers are never read as 'no pain')."
NOT_ONBOARDED = "Let's set you up first: send /start."
FINISH_ONBOARDING = "Let's finish setting you up first:"

SESSION_QUESTIONS = {
    "done": "How did {day}'s session go?",
    "run_minutes": "How many minutes did you actually run (running only, not walking)?",
    "pain_during": "Bone pain DURING the run (0–10)?",
    "pain_after": "Bone pain AFTER the run, e.g. that evening (0–10)?",
    "rpe": "How hard did it feel (effort 0 = rest, 10 = maximal)?",
}
SESSION_LABELS = {
    "done": "Session",
    "run_minutes": "Run minutes",
    "pain_during": "Pain during",
    "pain_after": "Pain after",
    "rpe": "Effort",
}
SESSION_DONE_LABELS = {
    "as_prescribed": "Done as planned",
    "partial": "Part of it",
    "skipped": "Skipped",
    "more": "More than planned",
    "cross_train": "Cross-trained instead",
}
SESSION_LOGGED = "Logged your session for {day}. Tomorrow's check-in takes it into account."
SESSION_PAIN_NOTE = (
    "You reported bone pain: there will be no progress, and a painful run drops the plan back. If the pain "
    "lingers, gets worse or you limp, tell me with /pain and contact your clinician."
)
ASK_LOG_DAY = "Which day's session do you want to log?"
YESTERDAY_SESSION_MISSING = "One more thing: yesterday's session isn't logged yet."

ASK_PAIN_KIND = "Sorry it hurts. Where or when do you feel it?"
PAIN_KINDS = {
    "rest": "At rest",
    "walking": "When walking",
    "run": "During / after a run",
    "night": "It woke me at night",
    "tender": "A tender spot",
    "swelling": "Swelling",
    "limp": "I'm limping",
}
ASK_PAIN_LEVEL = "How bad is it (0 = none, 10 = worst)?"
PAIN_NOTED = "Noted. It doesn't change today's plan, but tell me if it gets worse."
PAUSED_NOW = "⏸ Your plan is paused."
CONTACT_CLINICIAN = "Please contact your clinician about this before running again."

PAUSE_CONFIRMED = "Your plan is paused. Send /resume when you want to restart."
RESUME_REFUSED = "I can't resume the plan yet."
RESUMED = "▶ Your plan is resumed."
NOT_PAUSED = "Your plan isn't paused."
SELF_CLEARED_BUTTON = "My clinician has cleared me"
SELF_CLEARED_YES = "Yes, cleared"
SELF_CLEARED_CONFIRM = (
    "Please confirm: your clinician has examined you and cleared you to run again, as of today ({day})? "
    "Only say yes if they did."
)
SELF_CLEARED_RECORDED = "Recorded: your clinician cleared you today."
SELF_CLEARED_NOT_RECORDED = "Nothing recorded. Your plan stays paused until your clinician clears you."

CANCELLED = "Stopped. Nothing else was changed."
NOTHING_TO_CANCEL = "There's nothing to cancel."
UNKNOWN_TEXT = "I didn't catch that. Try \"what's today?\", /checkin, /log or /pain — or /help for everything."
NON_TEXT = "I can only read text and buttons. /help lists what I can do."
EDIT_IGNORED = "I don't read edited messages, so nothing changed. Send the new answer as a new message, please."
GROUP_REFUSAL = "I only coach in private chats, to keep health answers private. Message me directly, please."

HELP = (
    "What I can do:\n"
    "/today – today's plan (or just ask \"what's today?\")\n"
    "/checkin – do today's check-in now\n"
    "/log – log a session (run minutes, pain, effort)\n"
    "/pain – report pain at any time\n"
    "/pause – pause the plan (illness, travel)\n"
    "/resume – restart after a pause, when the criteria are met\n"
    "/ready – answer the readiness checks again\n"
    "/history – your last 14 days\n"
    "/progress – your progress as a chart\n"
    "/report – a 4-week PDF for your clinician\n"
    "/share – invite your coach or clinician; /team – see or remove them\n"
    "/clinician – record your clinician's instructions (when they don't use RunBack)\n"
    "/runners – runners you follow (for coaches and clinicians)\n"
    "/settings – change any answer from the set-up\n"
    "/export – a file with all your data\n"
    "/delete – erase all your data\n"
    "/cancel – stop what we're doing\n\n"
    f"{DISCLAIMER}"
)

COMMANDS = (
    ("today", "Today's plan"),
    ("checkin", "Do today's check-in"),
    ("log", "Log a session"),
    ("pain", "Report pain"),
    ("pause", "Pause the plan"),
    ("resume", "Resume after a pause"),
    ("ready", "Readiness checks"),
    ("history", "Last 14 days"),
    ("progress", "Your progress as a chart"),
    ("report", "A 4-week PDF for your clinician"),
    ("share", "Invite your coach or clinician"),
    ("team", "Your care team"),
    ("clinician", "Record your clinician's instructions"),
    ("runners", "Runners you follow"),
    ("settings", "Change your settings"),
    ("export", "Export your data"),
    ("delete", "Delete your data"),
    ("help", "What I can do"),
    ("cancel", "Stop the current step"),
)

BOT_DESCRIPTION = (  # what Telegram shows before the first message
    "RunBack brings you back to running after a minor stress fracture, one safe step at a time: a morning "
    "check-in, the day's run-walk plan, and a pause at once if pain crosses a safety line. A coaching aid, not a "
    "diagnosis: follow your clinician."
)
BOT_SHORT_DESCRIPTION = (  # at most 120 characters (Telegram)
    "Back to running after a stress fracture, one safe step at a time. A coaching aid, not a diagnosis."
)

SETTINGS_MENU = "What would you like to change?"
SETTINGS_LABELS = {
    "site": "Injury site",
    "diagnosed": "Diagnosis date",
    "cleared": "Clearance",
    "weekly_minutes": "Pre-injury minutes/week",
    "runs_per_week": "Pre-injury runs/week",
    "reds": "Health (REDs) questions",
    "timezone": "Time zone",
    "checkin_time": "Check-in time",
}
SETTINGS_SAVED = "Saved."
LANGUAGE_BUTTON = "Language"
ASK_LANGUAGE = "Which language should I write in?"
LANGUAGE_SAVED = "Done: I write in English from now on."  # in the language just chosen

EXPORT_CAPTION = "All your data: daily log as CSV, everything as JSON."
# the daily CSV's column headers: in English the stable machine names (as the JSON keys), translated for others
EXPORT_COLUMNS = {
    "date": "date",
    "pain_rest": "pain_rest",
    "pain_walking": "pain_walking",
    "pain_next_day": "pain_next_day",
    "tenderness": "tenderness",
    "swelling": "swelling",
    "limping": "limping",
    "night_pain": "night_pain",
    "sleep_hours": "sleep_hours",
    "fatigue": "fatigue",
    "session_done": "session_done",
    "session_run_minutes": "session_run_minutes",
    "session_pain_during": "session_pain_during",
    "session_pain_after": "session_pain_after",
    "session_rpe": "session_rpe",
    "session_source": "session_source",
    "session_sport": "session_sport",
    "session_distance_km": "session_distance_km",
    "session_avg_hr": "session_avg_hr",
    "session_avg_cadence": "session_avg_cadence",
    "session_walk_minutes": "session_walk_minutes",
    "action": "action",
    "level": "level",
    "paused": "paused",
    "reasons": "reasons",
}
DELETE_CONFIRM = (
    "This erases everything I store about you (answers, sessions, plan, settings). It can't be undone. Are you sure?"
)
DELETED = "Done: everything about you is erased. Send /start to begin again."
DELETE_KEPT = "Nothing was deleted."

YES, NO, NA = "Yes", "No", "N/A"
NOT_YET = "Not yet"
AGREE, DECLINE = "I agree", "No thanks"
WELCOME_BACK = "Welcome back{name}! /help lists what I can do."
TODAY_BUTTON = "Today"
SNOOZE_BUTTON = "Snooze 30 min"
CHECKIN_NOW_BUTTON = "Check in now"
TODAY_LABEL, YESTERDAY_LABEL = "Today", "Yesterday"
TODAY_WORD, YESTERDAY_WORD = "today", "yesterday"  # a day named in a sentence

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
