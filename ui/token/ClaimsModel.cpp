#include "token/ClaimsModel.h"

#include "core/jose/Claims.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "shell/Palette.h"

#include <QApplication>
#include <QBrush>

namespace jwti {

namespace {

constexpr qsizetype kMaxValueChars = 300;

QString displayValue(const JsonValue& value)
{
    QString text;
    switch (value.kind) {
    case JsonValue::Kind::String:
        text = value.string;
        break;
    case JsonValue::Kind::Number:
    case JsonValue::Kind::Bool:
    case JsonValue::Kind::Null:
        text = QString::fromUtf8(value.raw);
        break;
    case JsonValue::Kind::Array:
    case JsonValue::Kind::Object:
        text = QString::fromUtf8(value.toCompactJson());
        break;
    }
    if (text.size() > kMaxValueChars)
        text = text.left(kMaxValueChars) + QStringLiteral("…");
    return text;
}

} // namespace

ClaimsModel::ClaimsModel(TokenDocument* document, QObject* parent)
    : QAbstractTableModel(parent)
    , m_document(document)
{
    connect(document, &TokenDocument::verificationChanged, this, &ClaimsModel::applyVerdict);
}

int ClaimsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ClaimsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClaimsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PartColumn:
        return tr("Part");
    case NameColumn:
        return tr("Name");
    case ValueColumn:
        return tr("Value");
    case StatusColumn:
        return tr("Status");
    case RelativeColumn:
        return tr("Relative");
    case UtcColumn:
        return tr("UTC");
    case LocalColumn:
        return tr("Local time");
    case MeaningColumn:
        return tr("Meaning");
    default:
        return {};
    }
}

QVariant ClaimsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[size_t(index.row())];
    if (role == StatusCodeRole)
        return row.statusCode;
    if (role == CheckStateRole)
        return row.checkState;
    if (role == NotReliedOnRole)
        return row.notReliedOn;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case PartColumn:
            return row.header ? tr("header") : tr("payload");
        case NameColumn:
            return row.name;
        case ValueColumn:
            return row.value;
        case StatusColumn:
            return row.status;
        case RelativeColumn:
            return row.relative;
        case UtcColumn:
            return row.seconds ? formatUtc(*row.seconds) : QString();
        case LocalColumn:
            return row.seconds ? QDateTime::fromSecsSinceEpoch(*row.seconds)
                                     .toLocalTime()
                                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t"))
                               : QString();
        case MeaningColumn:
            return row.reference.isEmpty() ? row.meaning : tr("%1 (%2)").arg(row.meaning, row.reference);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        QString tip = row.meaning;
        // A narrow table elides its cells (ClaimsTable never scrolls sideways): the tooltip has the cell whole.
        if (index.column() != MeaningColumn) {
            const QString cell = data(index, Qt::DisplayRole).toString();
            if (!cell.isEmpty())
                tip = cell + QLatin1Char('\n') + tip;
        }
        if (!row.reference.isEmpty())
            tip += QStringLiteral(" (%1)").arg(row.reference);
        if (!row.status.isEmpty())
            tip += QLatin1Char('\n') + row.status;
        if (row.notReliedOn && !row.checkMessage.isEmpty())
            tip += QLatin1Char('\n') + tr("The token says: %1").arg(row.checkMessage);
        return tip;
    }
    // A failed check is red, a far-future time amber; a check that is not relied on is greyed, never green.
    const bool marked = row.checkFailed || row.statusCode == QLatin1String("far-future");
    if (role == Qt::BackgroundRole && marked && !row.notReliedOn)
        return QBrush(Palette::background(row.checkFailed ? Palette::Role::Error : Palette::Role::Warning));
    if (role == Qt::ForegroundRole && (index.column() == StatusColumn || index.column() == RelativeColumn)) {
        if (row.notReliedOn)
            return QBrush(QApplication::palette().color(QPalette::PlaceholderText));
        if (marked)
            return QBrush(Palette::text(row.checkFailed ? Palette::Role::Error : Palette::Role::Warning));
        if (row.checkState == QLatin1String("passed") && index.column() == StatusColumn)
            return QBrush(Palette::text(Palette::Role::Valid));
    }
    return {};
}

void ClaimsModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_omitted = 0;
    const Token& token = m_document->token();
    const qint64 now = m_document->now();
    auto addMembers = [&](const JsonValue* object, bool header) {
        if (!object || !object->isObject())
            return;
        int added = 0;
        for (const JsonMember& member : object->members) {
            if (added++ == kMaxRowsPerPart) {
                m_omitted += qsizetype(object->members.size()) - kMaxRowsPerPart;
                break;
            }
            Row row;
            row.header = header;
            row.name = member.name;
            row.value = displayValue(member.value);
            const auto explanation = header ? explainHeaderParameter(member.name) : explainClaim(member.name);
            if (explanation) {
                row.meaning = explanation->title.isEmpty() ? explanation->text
                                                           : tr("%1: %2").arg(explanation->title, explanation->text);
                row.reference = explanation->reference;
            } else {
                row.meaning = header ? tr("Not a registered header parameter.")
                                     : tr("Not a registered claim: private to the issuer and its audience.");
            }
            if (!header && isNumericDateClaim(member.name))
                row.seconds = numericDateSeconds(&member.value);
            readVerdict(row);
            updateStatus(row, now);
            m_rows.push_back(std::move(row));
        }
    };
    // Text that is no token has no header parameters or claims, whatever its bytes happen to decode to.
    if (!m_document->isNotAToken()) {
        addMembers(token.header(), true);
        addMembers(token.claims(), false);
    }
    m_lastRefresh = now;
    endResetModel();
}

void ClaimsModel::readVerdict(Row& row) const
{
    row.checkState.clear();
    row.checkMessage.clear();
    row.checkFailed = false;
    row.notReliedOn = false;
    const Verdict& verdict = m_document->verdict();
    // The verdict checks the payload's time, audience and issuer claims and the header's typ and crit.
    static const QStringList payloadChecks = {QStringLiteral("exp"), QStringLiteral("nbf"), QStringLiteral("iat"),
                                              QStringLiteral("aud"), QStringLiteral("iss")};
    static const QStringList headerChecks = {QStringLiteral("typ"), QStringLiteral("crit")};
    if (!(row.header ? headerChecks : payloadChecks).contains(row.name))
        return;
    const VerdictCheck* check = verdict.check(row.name);
    if (!check || check->state == CheckState::NotApplicable)
        return;
    row.checkState = checkStateName(check->state);
    row.checkMessage = check->message;
    row.checkFailed = check->state == CheckState::Failed;
    // As the verify panel: a pass or a failure of what only the token says is not relied on; "not checked" claims
    // nothing either way.
    row.notReliedOn = !verdict.signatureVerified() && row.name != QLatin1String("crit")
        && (check->state == CheckState::Passed || check->state == CheckState::Failed);
}

void ClaimsModel::updateStatus(Row& row, qint64 now) const
{
    row.relative.clear();
    row.statusCode.clear();
    row.status.clear();
    if (row.seconds) {
        const ClaimTimeKind kind = claimTimeKind(row.name);
        row.relative
            = kind == ClaimTimeKind::Other ? formatRelative(*row.seconds, now) : describeTime(kind, *row.seconds, now);
    }
    if (row.checkFailed) {
        if (row.name == QLatin1String("exp"))
            row.statusCode = QStringLiteral("expired");
        else if (row.name == QLatin1String("nbf"))
            row.statusCode = QStringLiteral("not-yet-valid");
        else if (row.name == QLatin1String("iat"))
            row.statusCode = QStringLiteral("issued-in-future");
        else
            row.statusCode = QStringLiteral("failed");
    } else if (row.checkState == QLatin1String("passed") || row.checkState == QLatin1String("not-checked")) {
        row.statusCode = row.checkState;
    }
    // Part of showing the time, not a check: a lifetime of years is as good as a password.
    const bool farFuture = !row.checkFailed && row.seconds && isFarFuture(*row.seconds, now);
    if (farFuture)
        row.statusCode = QStringLiteral("far-future");

    if (row.notReliedOn) {
        // No tick and no cross for what only the token says: its signature does not hold. (The tooltip has more.)
        row.status = tr("Not relied on: signature not verified");
    } else if (row.checkFailed) {
        row.status = row.checkMessage.isEmpty() ? tr("✗ Failed") : tr("✗ %1").arg(row.checkMessage);
    } else if (row.checkState == QLatin1String("passed")) {
        row.status = tr("✓ Passed");
    } else if (row.checkState == QLatin1String("not-checked")) {
        row.status = row.checkMessage.isEmpty() ? tr("○ Not checked") : tr("○ Not checked: %1").arg(row.checkMessage);
    }
    if (farFuture)
        row.status = row.status.isEmpty() ? tr("Far in the future") : tr("%1 · far in the future").arg(row.status);
}

void ClaimsModel::applyVerdict()
{
    if (m_rows.empty())
        return;
    const qint64 now = m_document->now();
    for (Row& row : m_rows) {
        readVerdict(row);
        updateStatus(row, now);
    }
    emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void ClaimsModel::refreshTimes()
{
    const qint64 now = m_document->now();
    const qint64 leeway = m_document->verifyOptions().claims.leeway;
    int first = -1;
    int last = -1;
    bool passed = false;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (!m_rows[i].seconds)
            continue;
        // Not a judgement: only whether the clock moved over a time the verdict may depend on.
        for (const qint64 moment : {*m_rows[i].seconds - leeway, *m_rows[i].seconds, *m_rows[i].seconds + leeway})
            passed |= m_lastRefresh < moment && moment <= now;
        updateStatus(m_rows[i], now);
        if (first < 0)
            first = int(i);
        last = int(i);
    }
    m_lastRefresh = now;
    if (first >= 0)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (passed)
        emit timePassed();
}

int ClaimsModel::rowOf(const QString& name, bool header) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].header == header && m_rows[i].name == name)
            return int(i);
    }
    return -1;
}

} // namespace jwti
