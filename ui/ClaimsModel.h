#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <optional>
#include <vector>

namespace jwti {

class TokenDocument;

// Every header parameter and claim of the document's token, one row each, with its explanation; NumericDate
// values shown in UTC, local time and relative to now, with expired, not-yet-valid and far-future values marked
// in words (the Status column) as well as by colour.
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
    // A stable, untranslated status per row: "expired", "not-yet-valid", "issued-in-future", "far-future" or "".
    static constexpr int StatusCodeRole = Qt::UserRole + 1;

    // A time further ahead than this is marked: a token that lives for years is as good as a password.
    static constexpr qint64 kFarFutureSeconds = 365LL * 24 * 3600;
    // A table of more rows than this helps nobody and costs time to fill: the rest are counted, not listed.
    static constexpr int kMaxRowsPerPart = 1000;

    explicit ClaimsModel(TokenDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Re-reads the token (on tokenChanged).
    void reload();
    // Recomputes the relative times and marks against the document's clock (a timer calls this).
    void refreshTimes();

    // The row of a claim or header parameter by name (payload first), or -1.
    int rowOf(const QString& name, bool header = false) const;
    // Members left out by kMaxRowsPerPart.
    qsizetype omittedRows() const { return m_omitted; }

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
    };
    void updateTime(Row& row, qint64 now) const;

    TokenDocument* m_document;
    std::vector<Row> m_rows;
    qsizetype m_omitted = 0;
};

} // namespace jwti
