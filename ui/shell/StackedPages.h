#pragma once

#include <QStackedWidget>

namespace jwti {

// Shows one page of a stack and sizes the stack by that page alone (QStackedLayout skips Ignored pages when it
// computes its size hint), so a one-line secret field does not sit in the height of a multi-line key editor.
inline void showOnlyPage(QStackedWidget* stack, int index)
{
    for (int i = 0; i < stack->count(); ++i) {
        const auto policy = i == index ? QSizePolicy::Preferred : QSizePolicy::Ignored;
        stack->widget(i)->setSizePolicy(policy, policy);
    }
    stack->setCurrentIndex(index);
    stack->updateGeometry();
}

} // namespace jwti
