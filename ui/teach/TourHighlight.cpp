#include "teach/TourHighlight.h"

#include <QEvent>
#include <QPainter>

namespace jwti {

namespace {

constexpr int kPen = 3;

} // namespace

TourHighlight::TourHighlight(QWidget* window)
    : QWidget(window)
{
    setObjectName(QStringLiteral("tourHighlight"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    window->installEventFilter(this);
    hide();
}

void TourHighlight::setTarget(QWidget* target)
{
    if (QWidget* previous = m_target.data())
        previous->removeEventFilter(this);
    m_target = target;
    if (target)
        target->installEventFilter(this);
    follow();
}

bool TourHighlight::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::Move:
    case QEvent::Resize:
    case QEvent::Show:
    case QEvent::Hide:
    case QEvent::LayoutRequest:
        if (watched == m_target || watched == parentWidget())
            follow();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void TourHighlight::follow()
{
    QWidget* window = parentWidget();
    QWidget* target = m_target.data();
    if (target == nullptr || window == nullptr || !target->isVisible()) {
        hide();
        return;
    }
    const QRect area(target->mapTo(window, QPoint(0, 0)), target->size());
    setGeometry(area.adjusted(-kPen, -kPen, kPen, kPen).intersected(window->rect()));
    show();
    raise();
    update();
}

void TourHighlight::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(palette().color(QPalette::Highlight), kPen));
    painter.drawRoundedRect(QRectF(rect()).adjusted(kPen / 2.0, kPen / 2.0, -kPen / 2.0, -kPen / 2.0), 4, 4);
}

} // namespace jwti
