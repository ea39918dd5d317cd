package org.contactbatch.jobs;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.configuration.DuplicateJobException;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * The jobs of this application, looked up in the context when one is asked for. Spring Batch's own
 * registry creates every job, with all its steps, tasklets and step-scoped proxies, as soon as the
 * job operator is created; a command runs one job, and creating the other seven was a fifth of the
 * command line's start-up. Each job bean is named as its job, so finding one is a look-up by name.
 */
@Component
public class ContextJobRegistry implements JobRegistry {

    private final ListableBeanFactory beans;
    private final Map<String, Job> registered = new ConcurrentHashMap<>();

    public ContextJobRegistry(ListableBeanFactory beans) {
        this.beans = beans;
    }

    /** The job of this name, or null when there is none. */
    @Override
    public Job getJob(String name) {
        Job job = registered.get(name);
        if (job != null) {
            return job;
        }
        if (beans.containsBean(name) && beans.isTypeMatch(name, Job.class)) {
            job = beans.getBean(name, Job.class);
            if (job.getName().equals(name)) {
                return job;
            }
        }
        // a job whose bean is named otherwise: only then is every job created
        return beans.getBeansOfType(Job.class).values().stream()
                .filter(candidate -> candidate.getName().equals(name))
                .findFirst().orElse(null);
    }

    @Override
    public Collection<String> getJobNames() {
        Set<String> names = new TreeSet<>(registered.keySet());
        beans.getBeansOfType(Job.class).values().forEach(job -> names.add(job.getName()));
        return names;
    }

    @Override
    public void register(Job job) throws DuplicateJobException {
        if (registered.putIfAbsent(job.getName(), job) != null) {
            throw new DuplicateJobException("a job named " + job.getName() + " is registered already");
        }
    }

    @Override
    public void unregister(String name) {
        registered.remove(name);
    }
}
