#pragma once

#include <QDockWidget>
#include <QMetaObject>

class QLabel;
class QPushButton;

namespace jwti {

class TourHighlight;

class MainWindow;

// A beginner's tour of the window on a sample token: what a JWT is, its header, its payload and claims, how its
// signature is made, a first verify, then one payload character changed to watch the signature break. A panel
// docked beside the window, never modal: the user can click around, leave, and resume later at the same step.
// Only the step number is remembered (QSettings "tour/step"), never a token or a secret.
class GuidedTour : public QDockWidget
{
    Q_OBJECT

public:
    enum class Persistence { Settings, None }; // None: tests and screenshots leave nothing behind
    enum Step { Intro, Header, Payload, Signature, Verify, Break, Lessons, Done };
    static constexpr int kStepCount = Done + 1;
    static constexpr const char* kSettingsKey = "tour/step";
    // The sample the tour explains: HS256, whose secret the verify panel receives with it.
    static constexpr const char* kSampleName = "HS256";

    // Docks itself in window (its parent).
    GuidedTour(MainWindow* window, Persistence persistence);

    // Shows the panel at the step left last time (or the first), loading the sample token when the window does
    // not hold it.
    void open();
    void restart();
    // Hides the panel and remembers the step.
    void leave();
    void next();
    void back();
    void goToStep(int step);

    int step() const { return m_step; }
    QString stepTitle() const;
    QString stepText() const;
    // What the window says now on the verify and signature steps ("The verify panel says: …").
    QString liveText() const;
    bool isSampleReady() const { return !m_waitingForSample; }

    // Step "break": changes one character of the payload in the token editor (an undoable edit, as if typed), so
    // that the payload still decodes but the signature no longer matches. False when no such character was found.
    bool breakPayload();
    void undoBreak();
    bool isBroken() const { return m_broken; }
    // The window shows the tour's own sample (opening the tour again need not replace it).
    bool holdsSample() const;
    // The part of the window the current step talks about (framed while the tour is shown), or nullptr.
    QWidget* highlightedWidget() const;

signals:
    void stepChanged(int step);
    void sampleReady();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void loadSample();
    void showCurrent();
    void updateLive();
    void saveStep();
    // What the user had before the tour took the window: given back on leaving.
    void rememberUserView();
    void restoreUserView();

    MainWindow* m_window;
    Persistence m_persistence;
    int m_step = Intro;
    bool m_waitingForSample = false;
    bool m_broken = false;
    QString m_sampleText; // the sample as loaded, to tell whether the window still holds it
    QString m_breakNote; // which character changed, in words
    QMetaObject::Connection m_sampleConnection;
    TourHighlight* m_highlight;
    bool m_userViewSaved = false;
    QString m_userText;
    int m_userTab = 0;
    QSize m_userSize;

    QLabel* m_progress;
    QLabel* m_title;
    QLabel* m_body;
    QLabel* m_live;
    QPushButton* m_breakButton;
    QPushButton* m_back;
    QPushButton* m_next;
    QPushButton* m_leave;
    QPushButton* m_restart;
};

} // namespace jwti
