#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <optional>
#include <vector>

namespace jwti {

class TokenDocument;

// Every header parameter and claim of the document's token, one row each, with its explanation; NumericDate
// values shown in UTC, local time and relative to now. The Status column shows the document's Verdict for the
// claims it checks (exp, nbf, iat, aud, iss, typ, crit): passed, failed with the reason, not checked, and "not
// relied on" while the signature is not verified. It judges nothing itself; only a far-future time is marked from
// the clock, as part of showing that time.
class ClaimsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        PartColumn,
        NameColumn,
        ValueColumn,
        StatusColumn,
        RelativeColumn,
        MeaningColumn,
        UtcColumn,
        LocalColumn,
        ColumnCount
    };
    // A stable, untranslated status per row: "expired", "not-yet-valid", "issued-in-future" (those three checks
    // failed), "failed" (another check failed), "far-future", "not-checked", "passed", or "" (nothing checked).
    static constexpr int StatusCodeRole = Qt::UserRole + 1;
    // The verdict's state of the row's check ("passed", "failed", "not-checked", "not-applicable"), or "".
    static constexpr int CheckStateRole = Qt::UserRole + 2;
    // True when the row's check reads the token's own word while its signature is not verified.
    static constexpr int NotReliedOnRole = Qt::UserRole + 3;

    // A table of more rows than this helps nobody and costs time to fill: the rest are counted, not listed.
    static constexpr int kMaxRowsPerPart = 1000;

    explicit ClaimsModel(TokenDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Re-reads the token (on tokenChanged).
    void reload();
    // Re-reads the verdict's checks into the Status column (on verificationChanged).
    void applyVerdict();
    // Recomputes the relative times and marks against the document's clock (a timer calls this). When the clock has
    // passed one of the token's times (or that time ± the leeway) since the last call, emits timePassed: the
    // verdict, which the Status column shows, was computed before and is due again.
    void refreshTimes();

    // The row of a claim or header parameter by name (payload first), or -1.
    int rowOf(const QString& name, bool header = false) const;
    // Members left out by kMaxRowsPerPart.
    qsizetype omittedRows() const { return m_omitted; }

signals:
    void timePassed();

private:
    struct Row
    {
        bool header = false;
        QString name;
        QString value;
        QString meaning;
        QString reference;
        std::optional<qint64> seconds; // a NumericDate
        QString relative;
        QString statusCode;
        QString status;
        QString checkState; // the verdict's state of this row's check, or empty
        QString checkMessage;
        bool checkFailed = false;
        bool notReliedOn = false;
    };
    void updateStatus(Row& row, qint64 now) const;
    void readVerdict(Row& row) const;

    TokenDocument* m_document;
    std::vector<Row> m_rows;
    qsizetype m_omitted = 0;
    qint64 m_lastRefresh = 0; // the clock at the last reload or refreshTimes
};

} // namespace jwti
