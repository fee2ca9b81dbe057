package io.tierdex.migrate;

import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;

/**
 * Its parent's partitions, each preferring one of the configured hosts (round robin): how
 * bins are placed on BeeGFS client nodes. A host is a host name, or
 * {@code executor_<host>_<id>} for one executor. Spark waits {@code spark.locality.wait}
 * for a preferred slot before running a bin elsewhere; a bin that lands on a node without
 * the file system fails fast and is retried.
 */
final class PinnedRdd<T> extends RDD<T> {
  private final List<String> hosts;
  private final ClassTag<T> tag;

  PinnedRdd(RDD<T> parent, List<String> hosts, ClassTag<T> tag) {
    super(parent, tag);
    this.hosts = List.copyOf(hosts);
    this.tag = tag;
  }

  @Override
  public Iterator<T> compute(Partition split, TaskContext context) {
    return firstParent(tag).iterator(split, context);
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(tag).partitions();
  }

  @Override
  public Seq<String> getPreferredLocations(Partition split) {
    return CollectionConverters.asScala(List.of(hosts.get(split.index() % hosts.size())))
        .toList();
  }
}
