#include "token/ClaimsTable.h"

#include "core/model/TokenDocument.h"
#include "token/ClaimsModel.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>
#include <vector>

namespace jwti {

namespace {

constexpr int kMaxColumnWidth = 320;

} // namespace

ClaimsTable::ClaimsTable(TokenDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_model(new ClaimsModel(document, this))
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("claimsPane"));
    m_view->setObjectName(QStringLiteral("claimsTable"));
    m_view->setAccessibleName(tr("Claims and header parameters"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setAccessibleName(tr("Claim columns"));
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Never sideways: columns share the width there is, cells too narrow are elided, and the tooltip has them whole.
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->horizontalHeader()->setTextElideMode(Qt::ElideRight);
    m_view->viewport()->installEventFilter(this);
    // The long explanations go last, so the times are never the column cut off at the edge.
    m_view->horizontalHeader()->moveSection(ClaimsModel::MeaningColumn, ClaimsModel::ColumnCount - 1);
    m_summary->setObjectName(QStringLiteral("claimsSummary"));
    m_summary->setWordWrap(true);
    m_summary->setAccessibleName(tr("Claims summary"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);

    connect(document, &TokenDocument::tokenChanged, this, &ClaimsTable::reload);
    // The Status column follows the verdict, which may land after the token: it gets the room its words need.
    connect(document, &TokenDocument::verificationChanged, this, [this] {
        m_view->resizeColumnToContents(ClaimsModel::StatusColumn);
        m_wanted[size_t(ClaimsModel::StatusColumn)]
            = std::min(m_view->columnWidth(ClaimsModel::StatusColumn), kMaxColumnWidth);
        fitColumns();
    });
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, m_model, &ClaimsModel::refreshTimes);
    // The verdict was computed before the clock passed exp (or nbf, iat): the model computes it again, and every
    // view follows, so the table never shows "expired" beside a panel that still says valid.
    connect(m_model, &ClaimsModel::timePassed, this,
            [this] { m_document->setVerifyOptions(m_document->verifyOptions()); });
    m_clock.start();
    reload();
}

void ClaimsTable::reload()
{
    m_model->reload();
    m_view->resizeColumnsToContents();
    for (int column = 0; column < ClaimsModel::ColumnCount; ++column) {
        // Times are read whole where there is room: only the free-text columns are capped.
        m_wanted[size_t(column)] = column != ClaimsModel::UtcColumn && column != ClaimsModel::LocalColumn
            ? std::min(m_view->columnWidth(column), kMaxColumnWidth)
            : m_view->columnWidth(column);
    }
    fitColumns();
    const Token& token = m_document->token();
    if (token.kind == TokenKind::Empty)
        m_summary->clear();
    else if (m_document->isNotAToken())
        m_summary->setText(tr("This is not a JWT, so it has no claims."));
    else if (token.kind == TokenKind::Jwe)
        m_summary->setText(tr("Encrypted token (JWE): only the header can be read; the claims are encrypted."));
    else if (!token.claims())
        m_summary->setText(tr("The payload is not a JSON object, so it has no claims. Header parameters are listed."));
    else
        m_summary->setText(
            tr("Times are NumericDates (RFC 7519 §2), shown in UTC, in local time and relative to now."));
    if (m_model->omittedRows() > 0)
        m_summary->setText(
            m_summary->text() + QLatin1Char(' ')
            + tr("%1 more members are not listed; the payload view shows them all.").arg(m_model->omittedRows()));
}

void ClaimsTable::fitColumns()
{
    // Each column wants its content's width. When they do not all fit, the widest give way first, down to one
    // common width (a cap found for the width there is), so no column is squeezed to nothing while another stays
    // wide; the part and the name, short and what a row is read by, keep their width.
    std::array<int, ClaimsModel::ColumnCount> widths = m_wanted;
    const int available = m_view->viewport()->width();
    int fixed = 0;
    std::vector<int> elidable;
    for (int column = 0; column < ClaimsModel::ColumnCount; ++column) {
        if (column == ClaimsModel::PartColumn || column == ClaimsModel::NameColumn)
            fixed += widths[size_t(column)];
        else
            elidable.push_back(column);
    }
    auto totalUnder = [&](int cap) {
        int total = fixed;
        for (const int column : elidable)
            total += std::min(widths[size_t(column)], cap);
        return total;
    };
    // Four letters and an ellipsis show what a cell is about; when even that does not fit (a narrow window with the
    // tour beside it), one letter does, rather than a table that scrolls sideways.
    int floor = m_view->fontMetrics().horizontalAdvance(QStringLiteral("MMMM…"));
    if (totalUnder(floor) > available)
        floor = m_view->fontMetrics().horizontalAdvance(QStringLiteral("M…"));
    if (totalUnder(std::numeric_limits<int>::max()) > available) {
        // The largest cap that fits, found by halving: every elided column is then as wide as the others.
        int low = floor;
        int high = kMaxColumnWidth * 4;
        while (low < high) {
            const int middle = (low + high + 1) / 2;
            if (totalUnder(middle) <= available)
                low = middle;
            else
                high = middle - 1;
        }
        for (const int column : elidable)
            widths[size_t(column)] = std::min(widths[size_t(column)], low);
    }
    for (int column = 0; column < ClaimsModel::ColumnCount; ++column)
        m_view->setColumnWidth(column, widths[size_t(column)]);
}

bool ClaimsTable::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitColumns();
    return QWidget::eventFilter(watched, event);
}

void ClaimsTable::setLiveTimes(bool live)
{
    if (live)
        m_clock.start();
    else
        m_clock.stop();
}

} // namespace jwti
