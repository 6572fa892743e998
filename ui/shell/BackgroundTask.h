#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QtConcurrent>
#include <atomic>
#include <memory>
#include <type_traits>
#include <utility>

namespace jwti {

// The one way the window runs work off the UI thread: the work runs on QtConcurrent's pool, its result comes back on
// the UI thread to the context object. A later start() supersedes the job before it (its result is dropped); a
// job's result is dropped too when the task is cancelled or destroyed, or the context is gone, so an answer never
// reaches a widget that no longer wants it. The work gets a flag it may poll to stop early (RSA key generation
// does, between primes); it owns nothing of the context's, so it may outlive it safely.
//
//     BackgroundTask<SampleToken> m_sample{this};
//     m_sample.start([name](const std::atomic_bool&) { return SampleTokens::make(name); },
//                    [this](SampleToken sample) { show(sample); });
//
// Keep it a member of the context object (or of something the context owns), so it cannot outlive it.
template <typename Result>
class BackgroundTask
{
public:
    explicit BackgroundTask(QObject* context)
        : m_context(context)
    {
    }
    BackgroundTask(const BackgroundTask&) = delete;
    BackgroundTask& operator=(const BackgroundTask&) = delete;
    ~BackgroundTask() { cancel(); }

    // work: Result(const std::atomic_bool& cancelled), run on the pool. done: void(Result), run on the context's
    // thread, only for the latest job and only while it was neither cancelled nor superseded.
    template <typename Work, typename Done>
    void start(Work work, Done done)
    {
        static_assert(std::is_same_v<std::invoke_result_t<Work&, const std::atomic_bool&>, Result>,
                      "the work must return the task's Result");
        cancel();
        if (!m_context)
            return;
        auto cancelled = std::make_shared<std::atomic_bool>(false);
        m_cancelled = cancelled;
        m_running = true;
        auto* watcher = new QFutureWatcher<Result>(m_context);
        QObject::connect(watcher, &QFutureWatcherBase::finished, m_context,
                         [this, watcher, cancelled, done = std::move(done)]() mutable {
                             watcher->deleteLater();
                             if (cancelled->load())
                                 return;
                             m_running = false;
                             done(watcher->result());
                         });
        watcher->setFuture(
            QtConcurrent::run([work = std::move(work), cancelled]() mutable { return work(*cancelled); }));
    }

    // True from start() until done() was called (or the job was cancelled).
    bool isRunning() const { return m_running; }

    // The job's result is dropped, and its work is asked to stop.
    void cancel()
    {
        if (m_cancelled)
            m_cancelled->store(true);
        m_cancelled.reset();
        m_running = false;
    }

private:
    QPointer<QObject> m_context;
    std::shared_ptr<std::atomic_bool> m_cancelled;
    bool m_running = false;
};

} // namespace jwti
