// The guided tour over a real window: its steps drive the window, it resumes where it was left, it remembers only
// the step, and its "change one character" step makes the sample fail to verify.
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "shell/MainWindow.h"
#include "shell/SampleTokens.h"
#include "teach/GuidedTour.h"
#include "teach/LessonsView.h"
#include "teach/SignatureWalkthroughView.h"
#include "token/TokenEditor.h"
#include "verify/VerifyPanel.h"

#include <QAbstractButton>
#include <QAction>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

using namespace jwti;

namespace {

GuidedTour* openTour(MainWindow& window)
{
    auto* tour = new GuidedTour(&window, GuidedTour::Persistence::Settings);
    tour->open();
    return tour;
}

int currentDetailTab(const MainWindow& window)
{
    return window.findChild<QTabWidget*>(QStringLiteral("detailTabs"))->currentIndex();
}

} // namespace

class TestGuidedTour : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QSettings().remove(QLatin1String(GuidedTour::kSettingsKey)); }

    void loadsTheSampleAndMovesThroughItsSteps()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        GuidedTour* tour = openTour(window);
        QVERIFY(tour->isVisible());
        QTRY_VERIFY(tour->isSampleReady());
        QCOMPARE(tour->step(), int(GuidedTour::Intro));
        QCOMPARE(window.document()->token().alg(), QStringLiteral("HS256"));
        QVERIFY(!tour->findChild<QAbstractButton*>(QStringLiteral("tourBack"))->isEnabled());

        QStringList titles;
        titles << tour->stepTitle();
        auto* next = tour->findChild<QAbstractButton*>(QStringLiteral("tourNext"));
        next->click();
        QCOMPARE(tour->step(), int(GuidedTour::Header));
        QCOMPARE(currentDetailTab(window), int(MainWindow::DetailTab::Header));
        QVERIFY2(tour->stepText().contains(QLatin1String("alg")), qPrintable(tour->stepText()));
        titles << tour->stepTitle();
        next->click();
        QCOMPARE(tour->step(), int(GuidedTour::Payload));
        QCOMPARE(currentDetailTab(window), int(MainWindow::DetailTab::Claims));
        QVERIFY(tour->stepText().contains(QLatin1String("exp")));
        titles << tour->stepTitle();
        next->click();
        QCOMPARE(tour->step(), int(GuidedTour::Signature));
        QCOMPARE(currentDetailTab(window), int(MainWindow::DetailTab::Walkthrough));
        QTRY_COMPARE(window.walkthroughView()->state(), SignatureWalkthroughView::State::Walk);
        QVERIFY(window.walkthroughView()->walkthrough().verified);
        titles << tour->stepTitle();
        next->click();
        QCOMPARE(tour->step(), int(GuidedTour::Verify));
        // The first verify: the panel holds the sample's secret and says valid.
        QVERIFY(window.document()->verdict().isValid());
        QVERIFY2(tour->liveText().contains(QLatin1String("says: ") + window.document()->verdict().headline),
                 qPrintable(tour->liveText()));
        // The step's own words predict nothing: what the panel says is only in the live box.
        QVERIFY2(!tour->stepText().contains(QLatin1String("should say")), qPrintable(tour->stepText()));
        titles << tour->stepTitle();
        next->click();
        QCOMPARE(tour->step(), int(GuidedTour::Break));
        QVERIFY(tour->findChild<QAbstractButton*>(QStringLiteral("tourBreakButton"))->isVisible());
        QVERIFY(tour->breakPayload());
        QVERIFY(!tour->holdsSample());
        titles << tour->stepTitle();
        next->click();
        // The closing lesson is about the sample as issued: the changed character is undone.
        QCOMPARE(tour->step(), int(GuidedTour::Lessons));
        QCOMPARE(currentDetailTab(window), int(MainWindow::DetailTab::Lessons));
        QVERIFY(tour->holdsSample());
        QTRY_VERIFY(window.document()->verifyResult() && window.document()->verifyResult()->valid);
        QVERIFY2(window.lessonsView()->text().contains(QLatin1String("could also have signed it")),
                 qPrintable(window.lessonsView()->text()));
        titles << tour->stepTitle();
        next->click();
        QCOMPARE(tour->step(), int(GuidedTour::Done));
        titles << tour->stepTitle();
        titles.removeDuplicates();
        QCOMPARE(titles.size(), GuidedTour::kStepCount);

        tour->findChild<QAbstractButton*>(QStringLiteral("tourBack"))->click();
        QCOMPARE(tour->step(), int(GuidedTour::Lessons));
        tour->goToStep(GuidedTour::Done);
        // Finishing closes the tour and forgets the step: the next one starts over.
        next->click();
        QVERIFY(!tour->isVisible());
        QVERIFY(!QSettings().contains(QLatin1String(GuidedTour::kSettingsKey)));
    }

    void eachStepFramesWhatItTalksAbout()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        GuidedTour* tour = openTour(window);
        QTRY_VERIFY(tour->isSampleReady());
        tour->goToStep(GuidedTour::Intro);
        QCOMPARE(tour->highlightedWidget(), static_cast<QWidget*>(window.tokenEditor()));
        tour->goToStep(GuidedTour::Header);
        QCOMPARE(tour->highlightedWidget(), window.findChild<QWidget*>(QStringLiteral("detailTabs")));
        tour->goToStep(GuidedTour::Verify);
        QWidget* sideTabs = window.findChild<QWidget*>(QStringLiteral("sideTabs"));
        QCOMPARE(tour->highlightedWidget(), sideTabs);
        QVERIFY(sideTabs->isAncestorOf(window.verifyPanel()));
        // The frame lies around the verify panel's tab, over the window.
        auto* frame = window.findChild<QWidget*>(QStringLiteral("tourHighlight"));
        QVERIFY(frame && frame->isVisible());
        QVERIFY(frame->geometry().contains(QRect(sideTabs->mapTo(&window, QPoint()), sideTabs->size())));
        tour->leave();
        QVERIFY(!frame->isVisible());
        QCOMPARE(tour->highlightedWidget(), nullptr);
    }

    void leavingGivesBackTheUsersTokenTabAndWindowSize()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.resize(1100, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString mine = QStringLiteral("eyJhbGciOiJub25lIn0.eyJzdWIiOiJtZSJ9.");
        window.loadToken(mine);
        window.showDetailTab(MainWindow::DetailTab::Findings);
        const QSize before = window.size();
        GuidedTour* tour = openTour(window);
        QTRY_VERIFY(tour->isSampleReady());
        QVERIFY(window.document()->text() != mine);
        tour->goToStep(GuidedTour::Break);
        QVERIFY(tour->breakPayload());
        window.resize(before + QSize(200, 0)); // as a dock or the user may have widened it
        tour->findChild<QAbstractButton*>(QStringLiteral("tourLeave"))->click();
        QCOMPARE(window.document()->text(), mine);
        QCOMPARE(window.currentDetailTab(), MainWindow::DetailTab::Findings);
        QTRY_COMPARE(window.size(), before);
    }

    void leavingAndReopeningResumesAtTheSameStep()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        GuidedTour* tour = openTour(window);
        QTRY_VERIFY(tour->isSampleReady());
        tour->goToStep(GuidedTour::Signature);
        tour->findChild<QAbstractButton*>(QStringLiteral("tourLeave"))->click();
        QVERIFY(!tour->isVisible());
        QCOMPARE(QSettings().value(QLatin1String(GuidedTour::kSettingsKey)).toInt(), int(GuidedTour::Signature));

        // Reopened in the same window: no new sample needed, same step.
        tour->open();
        QVERIFY(tour->isVisible());
        QVERIFY(tour->isSampleReady());
        QCOMPARE(tour->step(), int(GuidedTour::Signature));
        tour->leave();
        delete tour;

        // A new tour (as after a restart of the app) resumes there too, with a fresh sample.
        window.loadToken(QString());
        GuidedTour* again = openTour(window);
        QTRY_VERIFY(again->isSampleReady());
        QCOMPARE(again->step(), int(GuidedTour::Signature));
        QCOMPARE(window.document()->token().alg(), QStringLiteral("HS256"));

        again->findChild<QAbstractButton*>(QStringLiteral("tourRestart"))->click();
        QTRY_VERIFY(again->isSampleReady());
        QCOMPARE(again->step(), int(GuidedTour::Intro));
    }

    void remembersTheStepOnlyNeverTheTokenOrTheSecret()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        GuidedTour* tour = openTour(window);
        QTRY_VERIFY(tour->isSampleReady());
        tour->goToStep(GuidedTour::Break);
        QVERIFY(tour->breakPayload());
        tour->close(); // closing the panel is leaving
        QSettings settings;
        QCOMPARE(settings.value(QLatin1String(GuidedTour::kSettingsKey)).toInt(), int(GuidedTour::Break));
        const QString secret = SampleTokens::sampleSecret(32);
        const QString token = window.document()->text();
        for (const QString& key : settings.allKeys()) {
            const QString value = settings.value(key).toString();
            QVERIFY2(!value.contains(secret) && !value.contains(token), qPrintable(key));
        }
    }

    void theBreakStepChangesOnePayloadCharacterAndVerificationFails()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        GuidedTour* tour = openTour(window);
        QTRY_VERIFY(tour->isSampleReady());
        const QString sample = window.document()->text();
        tour->goToStep(GuidedTour::Break);
        QVERIFY(window.document()->verdict().isValid());

        tour->findChild<QAbstractButton*>(QStringLiteral("tourBreakButton"))->click();
        QVERIFY(tour->isBroken());
        const QString broken = window.tokenEditor()->toPlainText();
        QCOMPARE(broken.size(), sample.size());
        qsizetype changedAt = -1;
        int differences = 0;
        for (qsizetype i = 0; i < sample.size(); ++i) {
            if (sample[i] != broken[i]) {
                changedAt = i;
                ++differences;
            }
        }
        QCOMPARE(differences, 1);
        // Inside the payload segment, which still decodes to a claims set.
        QVERIFY(changedAt > sample.indexOf(QLatin1Char('.')) && changedAt < sample.lastIndexOf(QLatin1Char('.')));
        QVERIFY(window.document()->token().claims());
        QCOMPARE(window.document()->verdict().outcome, VerdictOutcome::Invalid);
        QVERIFY(!window.document()->verdict().signatureVerified());
        QVERIFY2(window.verifyPanel()->headline().startsWith(QLatin1String("Invalid:")),
                 qPrintable(window.verifyPanel()->headline()));
        QVERIFY2(tour->liveText().contains(QLatin1String("says: ") + window.verifyPanel()->headline()),
                 qPrintable(tour->liveText()));

        // The walk-through marks the comparison of the tags.
        QCOMPARE(currentDetailTab(window), int(MainWindow::DetailTab::Walkthrough));
        QTRY_VERIFY(window.walkthroughView()->walkthrough().failedStep >= 0);
        const SignatureWalkthrough& walk = window.walkthroughView()->walkthrough();
        QCOMPARE(walk.steps[size_t(walk.failedStep)].id, QStringLiteral("tag-compare"));
        QVERIFY2(tour->liveText().contains(QLatin1String("fails")), qPrintable(tour->liveText()));

        // Undo restores the sample, and it verifies again.
        tour->findChild<QAbstractButton*>(QStringLiteral("tourBreakButton"))->click();
        QVERIFY(!tour->isBroken());
        QCOMPARE(window.document()->text(), sample);
        QVERIFY(window.document()->verdict().isValid());
    }

    void goingBackFromTheBreakRestoresTheSample()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        GuidedTour* tour = openTour(window);
        QTRY_VERIFY(tour->isSampleReady());
        tour->goToStep(GuidedTour::Break);
        QVERIFY(tour->breakPayload());
        QVERIFY(!window.document()->verdict().isValid());
        tour->back();
        QCOMPARE(tour->step(), int(GuidedTour::Verify));
        QVERIFY(window.document()->verdict().isValid());
    }

    void theHelpMenuOpensTheTourAndTheViewMenuTheWalkthrough()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        auto* action = window.findChild<QAction*>(QStringLiteral("actionGuidedTour"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::HelpContents));
        action->trigger();
        QVERIFY(window.guidedTour());
        QVERIFY(window.guidedTour()->isVisible());
        QTRY_VERIFY(window.guidedTour()->isSampleReady());
        // A window without settings (tests, screenshots) keeps the tour's step to itself.
        window.guidedTour()->goToStep(GuidedTour::Payload);
        window.guidedTour()->leave();
        QVERIFY(!QSettings().contains(QLatin1String(GuidedTour::kSettingsKey)));

        auto* show = window.findChild<QAction*>(
            QStringLiteral("actionShowTab%1").arg(int(MainWindow::DetailTab::Walkthrough)));
        QVERIFY(show);
        show->trigger();
        QCOMPARE(currentDetailTab(window), int(MainWindow::DetailTab::Walkthrough));
        // The tab holds the signature walk-through, or for a JWE the decryption one, in one place.
        QVERIFY(window.walkthroughView()->isVisible());
    }
};

QTEST_MAIN(TestGuidedTour)
#include "TestGuidedTour.moc"
