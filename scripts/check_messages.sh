#!/usr/bin/env bash
# Are the translation catalogues complete and compiled? (run by .ci/run)
#
# The source language of every UI string is Chinese (_("名称")); English lives in
# locale/en. So:
#   1. every .po under locale/ is valid (msgfmt --check);
#   2. every .po has a committed .mo that is exactly what msgfmt makes of it today,
#      because the site reads the .mo, not the .po (fix: `make messages`);
#   3. the English catalogue has no untranslated and no fuzzy entry: a fuzzy
#      entry is not compiled, so its page would show Chinese to an English reader.
#      The zh_Hans catalogue, if any, may stay empty: its msgids are the Chinese text.
# Exits non-zero after listing every problem found.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in msgfmt msgattrib; do
  command -v "$tool" >/dev/null || { echo "check_messages: $tool is missing (apt-get install gettext)" >&2; exit 2; }
done

shopt -s nullglob
catalogues=(locale/*/LC_MESSAGES/*.po)
if [[ ${#catalogues[@]} -eq 0 ]]; then
  echo "check_messages: no .po files under locale/" >&2
  exit 1
fi

problems=0
fail() { echo "FAIL: $*" >&2; problems=$((problems + 1)); }
# msgattrib output = the catalogue header (msgid "") + the selected entries.
count_entries() { grep '^msgid ' <<<"$1" | grep -vc '^msgid ""$' || true; }
list_entries() { grep '^msgid ' <<<"$1" | grep -v '^msgid ""$' | head -20 | sed 's/^/    /' >&2; }

for po in "${catalogues[@]}"; do
  mo="${po%.po}.mo"
  if ! msgfmt --check -o /dev/null "$po"; then
    fail "$po is not a valid catalogue (see msgfmt's messages above)"
    continue
  fi
  if [[ ! -f "$mo" ]]; then
    fail "$mo is missing; run \`make messages\` and commit it"
  elif ! msgfmt -o - "$po" | cmp -s - "$mo"; then
    fail "$mo is out of date with $po; run \`make messages\` and commit it"
  else
    echo "ok: $mo matches $po"
  fi
done

english=locale/en/LC_MESSAGES/django.po
if [[ ! -f "$english" ]]; then
  fail "$english is missing"
else
  # --no-obsolete: entries that makemessages commented out (#~) no longer matter.
  # msgattrib prints nothing when no entry qualifies (a fuzzy header alone does not).
  untranslated=$(msgattrib --untranslated --no-obsolete --no-wrap "$english")
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$english")
  if [[ -n "$untranslated" ]]; then
    fail "$english has $(count_entries "$untranslated") untranslated entries (first 20):"
    list_entries "$untranslated"
  fi
  if [[ -n "$fuzzy" ]]; then
    fail "$english has $(count_entries "$fuzzy") fuzzy entries; check each, then delete its '#, fuzzy' line:"
    list_entries "$fuzzy"
  fi
  if [[ -z "$untranslated" && -z "$fuzzy" ]]; then
    echo "ok: $english is fully translated"
  fi
fi

if [[ $problems -gt 0 ]]; then
  echo "check_messages: $problems problem(s)" >&2
  exit 1
fi
echo "check_messages: all catalogues complete and compiled"
