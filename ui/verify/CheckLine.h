#pragma once

#include "core/model/Verdict.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace jwti {

// How every panel writes one check of a verdict ("✓ key fits passed: RSA 2048-bit key fits RS256"): the verify panel
// and the decrypt panel word a state the same way because they ask here.
QString checkStateMark(CheckState state); // ✓ ✗ ○ –
QString checkStateWords(CheckState state); // "passed", "failed", "not checked", "not applicable"
// "MARK TITLE WORDS: MESSAGE"; an empty message adds nothing. (A check's message never repeats its state's words: the
// model leaves them to the state.)
QString checkLine(CheckState state, const QString& title, const QString& message);

// The lines a panel lists for a verdict's checks, as indexes into checks: one check a line, except that the checks not
// checked for one same reason share a line (a malformed token has ten for "the token cannot be read", and ten lines
// of one reason bury the few that say something). Lines keep the order of their first check.
std::vector<std::vector<size_t>> checkLineGroups(const std::vector<VerdictCheck>& checks);
// "Not checked — REASON: TITLE, TITLE, …" with every title: what a screen reader hears; the line shown puts
// checkStateMark before it.
QString notCheckedText(const QString& reason, const QStringList& titles);

} // namespace jwti
