#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Result.h"
#include "shell/BackgroundTask.h"

#include <QElapsedTimer>
#include <QVariant>
#include <QWizardPage>

class QLabel;
class QProgressBar;
class QPushButton;

namespace jwti {

// Generates the key on a worker thread (RSA-4096 can take seconds) with a busy bar and a Cancel button; the
// window keeps painting meanwhile. Reads the wizard field "keyRequest" and offers the key as field "generatedKey".
class KeyGenerationPage : public QWizardPage
{
    Q_OBJECT
    Q_PROPERTY(QVariant generatedKey READ generatedKeyValue NOTIFY generationFinished)

public:
    explicit KeyGenerationPage(QWidget* parent = nullptr);
    ~KeyGenerationPage() override;

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    bool isGenerating() const;
    qint64 lastDurationMs() const { return m_lastDurationMs; }
    const Key& generatedKey() const { return m_key; }
    QVariant generatedKeyValue() const { return QVariant::fromValue(m_key); }

signals:
    void generationFinished(bool ok);

private:
    void start();
    void cancel();
    void onFinished(Result<Key> result);

    QLabel* m_explanation;
    QLabel* m_status;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QPushButton* m_again;
    BackgroundTask<Result<Key>> m_generation{this};
    Key m_key;
    QElapsedTimer m_clock;
    qint64 m_lastDurationMs = 0;
    bool m_done = false;
    bool m_running = false; // from start() until the key is shown or the generation cancelled
};

} // namespace jwti
