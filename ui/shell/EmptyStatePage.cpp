#include "shell/EmptyStatePage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace jwti {

EmptyStatePage::EmptyStatePage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("emptyStatePage"));
    auto* title = new QLabel(tr("Inspect a JSON Web Token"), this);
    title->setObjectName(QStringLiteral("emptyStateTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);

    auto* text = new QLabel(
        tr("Paste a token into the box above (Ctrl+Shift+V), type one, drop a file on it, or open a file "
           "(Ctrl+O).<br>You will see its header, payload and signature decoded and explained, its claims checked, "
           "and its risks listed. Give a secret or a public key on the right to verify it; use the Sign tab to make "
           "a new token.<br><br>Everything stays on this computer: nothing is sent anywhere."),
        this);
    text->setObjectName(QStringLiteral("emptyStateText"));
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setTextFormat(Qt::RichText);
    text->setMinimumWidth(360);
    text->setMaximumWidth(640);
    text->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::MinimumExpanding);

    auto* paste = new QPushButton(tr("&Paste a token"), this);
    paste->setObjectName(QStringLiteral("emptyPasteButton"));
    paste->setAccessibleName(tr("Paste a token from the clipboard"));
    auto* open = new QPushButton(tr("&Open a file…"), this);
    open->setObjectName(QStringLiteral("emptyOpenButton"));
    open->setAccessibleName(tr("Open a file that holds a token"));
    auto* sample = new QPushButton(tr("Try a sample (HS256)"), this);
    sample->setObjectName(QStringLiteral("emptySampleButton"));
    sample->setAccessibleName(tr("Open a sample token"));

    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(paste);
    buttons->addWidget(open);
    buttons->addWidget(sample);
    buttons->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(title);
    layout->addSpacing(8);
    // Centred by stretches, not by alignment: an aligned label gets its size hint, and a wrapped one is cut.
    auto* textRow = new QHBoxLayout;
    textRow->addStretch();
    textRow->addWidget(text, 4);
    textRow->addStretch();
    layout->addLayout(textRow);
    layout->addSpacing(12);
    layout->addLayout(buttons);
    layout->addStretch(2);

    connect(paste, &QPushButton::clicked, this, &EmptyStatePage::pasteRequested);
    connect(open, &QPushButton::clicked, this, &EmptyStatePage::openRequested);
    connect(sample, &QPushButton::clicked, this, &EmptyStatePage::sampleRequested);
}

} // namespace jwti
