package org.contactbatch.constantcontact.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.auth.DisconnectService;
import org.contactbatch.constantcontact.push.PushLauncher;
import org.contactbatch.constantcontact.push.RunLocks;
import org.contactbatch.constantcontact.push.SyncProfile;
import org.contactbatch.jobs.JobRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;

/**
 * What {@code serve} runs: each saved profile with a {@code schedule} on its cron, in every instance of
 * serve, while ShedLock (its {@code shedlock} table) lets only one instance at a time run a given profile
 * (a live holder keeps extending its lock; a dead one's lock frees itself after {@code profile-lock.at-most-for}).
 * The push itself also takes the run lock every push takes, so a manual {@code cc push} of the profile
 * can't overlap a scheduled one either.
 */
public class ProfileScheduler {

    private static final Logger log = LoggerFactory.getLogger(ProfileScheduler.class);

    private final PushLauncher launcher;
    private final ConstantContactProperties.ProfileLock lockSettings;
    private final LockProvider locks;
    private final ScheduledExecutorService keepAlive;
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<SyncProfile> profiles = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger disconnectedTurns = new AtomicInteger();

    public ProfileScheduler(DataSource dataSource, PushLauncher launcher, ConstantContactProperties properties,
            String instanceName) {
        this.launcher = launcher;
        this.lockSettings = properties.profileLock();
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "shedlock-keep-alive");
            thread.setDaemon(true);
            return thread;
        });
        this.locks = new KeepAliveLockProvider(new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withTableName("shedlock")
                .usingDbTime()
                .withLockedByValue(instanceName)
                .build()), keepAlive);
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("serve-");
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationSeconds(60);
    }

    /** Schedules every profile in the directory that has a schedule; returns them. */
    public List<SyncProfile> start(Path jobsDir) {
        scheduler.initialize();
        for (SyncProfile profile : SyncProfile.all(jobsDir)) {
            if (profile.schedule() == null) {
                continue;
            }
            profiles.add(profile);
            scheduler.schedule(() -> runLocked(profile), new CronTrigger(profile.schedule().toString(), profile.zone()));
            log.info("Scheduled profile {} ({}, {}), next at {}", profile.name(), profile.schedule(), profile.zone(),
                    nextRun(profile).orElse(null));
        }
        return List.copyOf(profiles);
    }

    public static Optional<ZonedDateTime> nextRun(SyncProfile profile) {
        return profile.schedule() == null ? Optional.empty()
                : Optional.ofNullable(profile.schedule().next(ZonedDateTime.now(profile.zone())));
    }

    /** Runs the profile now if no other instance is running it. */
    public void runLocked(SyncProfile profile) {
        Optional<SimpleLock> lock = locks.lock(new LockConfiguration(Instant.now(), "cc-profile:" + profile.name(),
                lockSettings.atMostFor(), lockSettings.atLeastFor()));
        if (lock.isEmpty()) {
            skipped.incrementAndGet();
            log.info("Profile {} is running in another instance; this one skips its turn", profile.name());
            return;
        }
        try {
            runs.incrementAndGet();
            // the profile's direction: its push, its pull, or the pull then the push
            for (JobRunner.Launch launch : launcher.sync(SyncProfile.load(profile.file()), null)) {
                log.info("Profile {}: {} execution {} {}", profile.name(), launch.execution().getJobInstance().getJobName(),
                        launch.execution().getId(), launch.execution().getStatus());
            }
        }
        catch (DisconnectService.DisconnectedException e) {
            // cc disconnect stops every scheduled profile until cc connect: no run, no failed execution, each turn;
            // serve's "Stopped after N run(s)" counts none of these
            runs.decrementAndGet();
            disconnectedTurns.incrementAndGet();
            log.info("Profile {} not run: {}", profile.name(), e.getMessage());
        }
        catch (RunLocks.RunInProgressException e) {
            skipped.incrementAndGet();
            log.info("Profile {} skipped: {}", profile.name(), e.getMessage());
        }
        catch (Exception e) {
            log.error("Profile {} failed: {}", profile.name(), e.getMessage(), e);
        }
        finally {
            lock.get().unlock();
        }
    }

    /** Blocks until {@link #stop()}. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops scheduling; a run in progress finishes first. */
    public void stop() {
        scheduler.shutdown();
        keepAlive.shutdownNow();
        stopped.countDown();
    }

    /** Runs this instance started (a turn refused as disconnected is not one: see {@link #disconnectedTurns()}). */
    public int runs() {
        return runs.get();
    }

    /** Turns this instance left to another instance (or to a manual run). */
    public int skipped() {
        return skipped.get();
    }

    /** Turns not run because the account was disconnected ({@code cc disconnect}). */
    public int disconnectedTurns() {
        return disconnectedTurns.get();
    }

    public static Duration untilNext(SyncProfile profile) {
        return nextRun(profile).map(next -> Duration.between(ZonedDateTime.now(profile.zone()), next)).orElse(Duration.ZERO);
    }
}
