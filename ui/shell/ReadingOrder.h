#pragma once

#include <QWidget>
#include <initializer_list>

namespace jwti {

// Sets the Tab order to the order the widgets are read in (top to bottom, left to right), which creation order
// does not always give. A compound widget (a secret field with its buttons) takes its place as a whole: its own
// focusable children keep their order among themselves.
inline void setReadingOrder(std::initializer_list<QWidget*> widgets)
{
    QWidgetList stops;
    for (QWidget* widget : widgets) {
        if (widget->focusPolicy() & Qt::TabFocus) {
            stops << widget;
            continue;
        }
        // Children in their current chain order; the chain is a ring, so it is walked at most once round.
        QWidget* child = widget->nextInFocusChain();
        for (int steps = 0; child != widget && steps < 1000; child = child->nextInFocusChain(), ++steps) {
            if (widget->isAncestorOf(child) && (child->focusPolicy() & Qt::TabFocus) && !child->focusProxy())
                stops << child;
        }
    }
    for (qsizetype i = 1; i < stops.size(); ++i)
        QWidget::setTabOrder(stops[i - 1], stops[i]);
}

} // namespace jwti
