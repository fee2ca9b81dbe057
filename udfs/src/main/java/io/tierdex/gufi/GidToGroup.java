package io.tierdex.gufi;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code gidtogroup(gid)}: the group name of a gid, as GUFI's {@code gidtogroup}
 * (src/addqueryfuncs.c) returns it; an id without a name comes back as the id, as text.
 * Arguments are read as in {@link UidToUser}.
 */
public final class GidToGroup extends GufiScalar<UTF8String> {
  static final GidToGroup OF_NUMBER = new GidToGroup(DataTypes.LongType);
  static final GidToGroup OF_TEXT = new GidToGroup(DataTypes.StringType);

  private GidToGroup(DataType argument) {
    super("gidtogroup", DataTypes.StringType, argument);
  }

  static GidToGroup forArgument(DataType type) {
    return type instanceof StringType ? OF_TEXT : OF_NUMBER;
  }

  public static UTF8String invoke(long gid) {
    return IdText.name(gid, AccountNames::group);
  }

  public static UTF8String invoke(UTF8String gid) {
    return IdText.name(gid, AccountNames::group);
  }
}
