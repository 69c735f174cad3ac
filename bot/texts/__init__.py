"""Every word the bot says, in one place: English templates, translated by the catalogs in bot/locales
(`bot.i18n.texts_for(code)` reads this module in a language). Engine decisions bring their own message."""

from __future__ import annotations

from bot.texts.plural import Plural

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
FILE_DISTANCE_MILES = ", {mi:.1f} mi"
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
SUMMARY_FILES_MILES = "From watch files: {count} session(s), {mi:.1f} mi."
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
UNITS_BUTTON = "Distances"
ASK_UNITS = "Watch-file distances in kilometres or in miles?"
UNIT_NAMES = {"km": "Kilometres", "mi": "Miles"}
UNITS_SAVED = {"km": "Done: distances in kilometres from now on.", "mi": "Done: distances in miles from now on."}
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


# The care team's words (alerts, the report's first page, plan adjustments) live in bot/texts/care.py and
# read as part of this module: `texts.X` and the catalogs' extractor (bot/i18n.py) see one namespace.
from bot.texts.care import *  # noqa: E402, F403
