#pragma once

#include "core/crypto/SignatureWalkthrough.h"

#include <QFrame>

class QLayout;
class QVBoxLayout;

namespace jwti {

// One step of a walk-through ("How it's signed", "How it's decrypted") as a card: its number and title with the
// state mark beside them, what it computes and why, and, when it fails, a framed line saying so. Below that each
// view adds the step's value in its own way (addContent): the signature view with Copy, the decryption view hidden
// until "Display secret values" is ticked, so that a secret never lands in a widget by accident here.
class WalkthroughStepCard : public QFrame
{
    Q_OBJECT

public:
    // namePrefix names the card (namePrefix + "_" + the step's id) and its parts (namePrefix + "Title", "Status",
    // "Explanation", "Failure"), the names tests and the tour find them by. failureText is the failed step's line,
    // its reason included ("✗ The check fails here: …").
    WalkthroughStepCard(const QString& namePrefix, int index, const WalkStep& step, const QString& failureText,
                        QWidget* parent = nullptr);

    void addContent(QWidget* widget);
    void addContent(QLayout* layout);

private:
    QVBoxLayout* m_layout;
};

} // namespace jwti
