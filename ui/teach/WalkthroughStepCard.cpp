#include "teach/WalkthroughStepCard.h"

#include "shell/Palette.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace jwti {

namespace {

QString checkMark(const std::optional<bool>& passed)
{
    if (!passed)
        return WalkthroughStepCard::tr("○ Computed");
    return *passed ? WalkthroughStepCard::tr("✓ Passed") : WalkthroughStepCard::tr("✗ Failed");
}

} // namespace

WalkthroughStepCard::WalkthroughStepCard(const QString& namePrefix, int index, const WalkStep& step,
                                         const QString& failureText, QWidget* parent)
    : QFrame(parent)
    , m_layout(new QVBoxLayout(this))
{
    setObjectName(namePrefix + QLatin1Char('_') + step.id);
    setProperty("stepIndex", index);
    setFrameShape(QFrame::StyledPanel);
    const bool failed = step.passed && !*step.passed;
    if (failed) {
        // The failed step stands out by its frame and, for those who cannot tell colours, by its mark and words.
        setStyleSheet(QStringLiteral("QFrame#%1 { border: 2px solid %2; border-radius: 4px; }")
                          .arg(objectName(), Palette::text(Palette::Role::Error).name()));
    }
    setAccessibleName(tr("Step %1: %2").arg(index + 1).arg(step.title));

    auto* title = new QLabel(this);
    title->setObjectName(namePrefix + QStringLiteral("Title"));
    title->setTextFormat(Qt::PlainText);
    title->setText(tr("%1. %2").arg(index + 1).arg(step.title));
    QFont titleFont = title->font();
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto* status = new QLabel(checkMark(step.passed), this);
    status->setObjectName(namePrefix + QStringLiteral("Status"));
    status->setAccessibleName(tr("Result of step %1").arg(index + 1));
    if (step.passed) {
        Palette::colourWidget(status, *step.passed ? Palette::Role::Valid : Palette::Role::Error);
        status->setFont(titleFont);
    }
    auto* header = new QHBoxLayout;
    header->addWidget(title, 1);
    header->addWidget(status);
    m_layout->addLayout(header);

    auto* explanation = new QLabel(step.explanation, this);
    explanation->setObjectName(namePrefix + QStringLiteral("Explanation"));
    explanation->setTextFormat(Qt::PlainText);
    explanation->setWordWrap(true);
    explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_layout->addWidget(explanation);

    if (failed) {
        auto* failure = new QLabel(failureText, this);
        failure->setObjectName(namePrefix + QStringLiteral("Failure"));
        failure->setTextFormat(Qt::PlainText);
        failure->setWordWrap(true);
        failure->setTextInteractionFlags(Qt::TextSelectableByMouse);
        failure->setMargin(6);
        failure->setAutoFillBackground(true);
        failure->setFont(titleFont);
        Palette::colourWidget(failure, Palette::Role::Error);
        m_layout->addWidget(failure);
    }
}

void WalkthroughStepCard::addContent(QWidget* widget)
{
    m_layout->addWidget(widget);
}

void WalkthroughStepCard::addContent(QLayout* layout)
{
    m_layout->addLayout(layout);
}

} // namespace jwti
