#pragma once

#include "core/model/Verdict.h"

#include <QString>

namespace jwti {

// How every panel writes one check of a verdict ("✓ key fits passed: RSA 2048-bit key fits RS256"): the verify panel
// and the decrypt panel word a state the same way because they ask here.
QString checkStateMark(CheckState state); // ✓ ✗ ○ –
QString checkStateWords(CheckState state); // "passed", "failed", "not checked", "not applicable"
// "MARK TITLE WORDS: MESSAGE"; a message that starts with the state's own words ("not checked: …") does not say them
// twice, and an empty one adds nothing.
QString checkLine(CheckState state, const QString& title, const QString& message);

} // namespace jwti
