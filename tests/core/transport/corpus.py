"""Hostile argument values: each must reach the device as one literal argument."""

INJECTION_CORPUS = [
    "$(touch /tmp/pwned)",
    "`touch /tmp/pwned`",
    "; touch /tmp/pwned",
    "| touch /tmp/pwned",
    "&& touch /tmp/pwned",
    "' ; touch /tmp/pwned ; '",
    '" ; touch /tmp/pwned ; "',
    "$HOME ${PATH} $$ !! \\ * ? ~",
    "a\nb; touch /tmp/pwned",
    "--help",
    "-rf /",
]

CONTROL_CHARACTERS = ["\x03", "abc\x04", "\x1b[2J", "tab\there", "\x15kill-line"]
