#include "token/FindingsList.h"

#include "core/model/TokenDocument.h"
#include "shell/Palette.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace jwti {

namespace {

enum ItemRole { IndexRole = Qt::UserRole + 1 };

QString severityLabel(Severity severity)
{
    switch (severity) {
    case Severity::Critical:
        return FindingsList::tr("Critical");
    case Severity::Warning:
        return FindingsList::tr("Warning");
    case Severity::Info:
        return FindingsList::tr("Info");
    }
    return {};
}

Palette::Role severityRole(Severity severity)
{
    switch (severity) {
    case Severity::Critical:
        return Palette::Role::Critical;
    case Severity::Warning:
        return Palette::Role::Warning;
    case Severity::Info:
        return Palette::Role::Info;
    }
    return Palette::Role::Info;
}

} // namespace

FindingsList::FindingsList(TokenDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_summary(new QLabel(this))
    , m_tree(new QTreeWidget(this))
    , m_detail(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("findingsPane"));
    m_summary->setObjectName(QStringLiteral("findingsSummary"));
    m_summary->setWordWrap(true);
    m_tree->setObjectName(QStringLiteral("findingsList"));
    m_tree->setAccessibleName(tr("Security findings, most severe first"));
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setHeaderLabels({tr("Severity"), tr("Finding"), tr("Reference")});
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setAccessibleName(tr("Finding columns"));
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_detail->setObjectName(QStringLiteral("findingDetail"));
    m_detail->setAccessibleName(tr("Why this finding matters"));
    m_detail->setOpenExternalLinks(true);
    m_detail->setMaximumHeight(m_detail->fontMetrics().lineSpacing() * 6 + 16);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_detail);

    connect(document, &TokenDocument::findingsChanged, this, &FindingsList::reload);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &FindingsList::showDetail);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const auto& findings = m_document->findings();
        const size_t index = item->data(0, IndexRole).toULongLong();
        if (index < findings.size() && findings[index].range.size() > 0)
            emit placeActivated(findings[index].range.begin, findings[index].range.end);
    });
    reload();
}

int FindingsList::count() const
{
    return m_tree->topLevelItemCount();
}

QString FindingsList::referenceUrl(const QString& reference)
{
    if (reference.startsWith(QLatin1String("https://")))
        return reference;
    static const QRegularExpression rfc(QStringLiteral("RFC\\s*(\\d+)(?:\\s*§\\s*([0-9A-Z.]+))?"));
    const auto match = rfc.match(reference);
    if (!match.hasMatch())
        return {};
    QString url = QStringLiteral("https://www.rfc-editor.org/rfc/rfc%1").arg(match.captured(1));
    QString section = match.captured(2);
    while (section.endsWith(QLatin1Char('.')))
        section.chop(1);
    if (!section.isEmpty()) {
        const bool appendix = section.front().isLetter();
        url += (appendix ? QStringLiteral("#appendix-") : QStringLiteral("#section-")) + section;
    }
    return url;
}

void FindingsList::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // Severity colours are picked for the palette: a theme switch lists them again in the new one.
    if (event->type() == QEvent::PaletteChange)
        reload();
}

void FindingsList::reload()
{
    m_tree->clear();
    m_detail->clear();
    const auto& findings = m_document->findings();
    std::vector<size_t> order(findings.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return int(findings[a].severity) > int(findings[b].severity); });
    int critical = 0;
    int warnings = 0;
    for (size_t index : order) {
        const Finding& finding = findings[index];
        auto* item = new QTreeWidgetItem(m_tree);
        item->setText(0, severityLabel(finding.severity));
        item->setForeground(0, Palette::text(severityRole(finding.severity)));
        QFont bold = item->font(0);
        bold.setBold(finding.severity == Severity::Critical);
        item->setFont(0, bold);
        item->setText(1, finding.message);
        item->setToolTip(1, finding.why);
        item->setText(2, finding.reference);
        item->setData(0, IndexRole, qulonglong(index));
        critical += finding.severity == Severity::Critical;
        warnings += finding.severity == Severity::Warning;
    }
    if (m_document->token().kind == TokenKind::Empty)
        m_summary->clear();
    else if (m_document->isNotAToken())
        m_summary->setText(tr("This is not a JWT, so there is nothing to lint."));
    else if (findings.empty())
        m_summary->setText(tr("No findings: nothing in this token looks risky to the lint."));
    else
        m_summary->setText(tr("Findings: %1 (critical: %2, warnings: %3). Select one to read why it matters.")
                               .arg(findings.size())
                               .arg(critical)
                               .arg(warnings));
    if (m_tree->topLevelItemCount() > 0)
        m_tree->setCurrentItem(m_tree->topLevelItem(0));
}

void FindingsList::showDetail()
{
    QTreeWidgetItem* item = m_tree->currentItem();
    const auto& findings = m_document->findings();
    if (!item) {
        m_detail->clear();
        return;
    }
    const size_t index = item->data(0, IndexRole).toULongLong();
    if (index >= findings.size())
        return;
    const Finding& finding = findings[index];
    QString html = QStringLiteral("<p><b>%1</b> — %2</p>")
                       .arg(severityLabel(finding.severity).toHtmlEscaped(), finding.message.toHtmlEscaped());
    if (!finding.why.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(finding.why.toHtmlEscaped());
    const QString url = referenceUrl(finding.reference);
    if (!url.isEmpty())
        html += QStringLiteral("<p>%1 <a href=\"%2\">%3</a></p>")
                    .arg(tr("Read more:"), url.toHtmlEscaped(), finding.reference.toHtmlEscaped());
    else if (!finding.reference.isEmpty())
        html += QStringLiteral("<p>%1 %2</p>").arg(tr("Reference:"), finding.reference.toHtmlEscaped());
    m_detail->setHtml(html);
}

} // namespace jwti
