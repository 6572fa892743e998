#include "verify/CheckLine.h"

#include <QCoreApplication>

namespace jwti {

namespace {

struct CheckLineText
{
    Q_DECLARE_TR_FUNCTIONS(CheckLine)
};

} // namespace

QString checkStateMark(CheckState state)
{
    switch (state) {
    case CheckState::Passed:
        return QStringLiteral("✓");
    case CheckState::Failed:
        return QStringLiteral("✗");
    case CheckState::NotChecked:
        return QStringLiteral("○");
    case CheckState::NotApplicable:
        return QStringLiteral("–");
    }
    return {};
}

QString checkStateWords(CheckState state)
{
    switch (state) {
    case CheckState::Passed:
        return CheckLineText::tr("passed");
    case CheckState::Failed:
        return CheckLineText::tr("failed");
    case CheckState::NotChecked:
        return CheckLineText::tr("not checked");
    case CheckState::NotApplicable:
        return CheckLineText::tr("not applicable");
    }
    return {};
}

QString checkLine(CheckState state, const QString& title, const QString& message)
{
    const QString words = checkStateWords(state);
    const QString prefix = words + QStringLiteral(": ");
    if (message.startsWith(prefix))
        return CheckLineText::tr("%1 %2 %3: %4").arg(checkStateMark(state), title, words, message.mid(prefix.size()));
    return message.isEmpty() ? CheckLineText::tr("%1 %2 %3").arg(checkStateMark(state), title, words)
                             : CheckLineText::tr("%1 %2 %3: %4").arg(checkStateMark(state), title, words, message);
}

} // namespace jwti
