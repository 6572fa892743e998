#pragma once

#include <QWidget>

namespace jwti {

// What a new user sees before there is a token: what this is, and the three ways to start.
class EmptyStatePage : public QWidget
{
    Q_OBJECT

public:
    explicit EmptyStatePage(QWidget* parent = nullptr);

signals:
    void pasteRequested();
    void openRequested();
    void sampleRequested();
};

} // namespace jwti
