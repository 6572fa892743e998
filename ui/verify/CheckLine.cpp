#include "verify/CheckLine.h"

#include <QCoreApplication>
#include <QHash>

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
    return message.isEmpty() ? CheckLineText::tr("%1 %2 %3").arg(checkStateMark(state), title, words)
                             : CheckLineText::tr("%1 %2 %3: %4").arg(checkStateMark(state), title, words, message);
}

std::vector<std::vector<size_t>> checkLineGroups(const std::vector<VerdictCheck>& checks)
{
    std::vector<std::vector<size_t>> groups;
    QHash<QString, size_t> groupOfReason;
    for (size_t i = 0; i < checks.size(); ++i) {
        if (checks[i].state != CheckState::NotChecked) {
            groups.push_back({i});
            continue;
        }
        const QString& reason = checks[i].message;
        const auto found = groupOfReason.constFind(reason);
        if (found != groupOfReason.constEnd()) {
            groups[*found].push_back(i);
            continue;
        }
        groupOfReason.insert(reason, groups.size());
        groups.push_back({i});
    }
    return groups;
}

QString notCheckedText(const QString& reason, const QStringList& titles)
{
    const QString list = titles.join(QStringLiteral(", "));
    return reason.isEmpty() ? CheckLineText::tr("Not checked: %1").arg(list)
                            : CheckLineText::tr("Not checked — %1: %2").arg(reason, list);
}

} // namespace jwti
