package io.tierdex.gufi;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code uidtouser(uid)}: the user name of a uid, as GUFI's {@code uidtouser}
 * (src/addqueryfuncs.c) returns it; an id without a name comes back as the id, as text.
 *
 * <p>The argument may be a number or text, as in GUFI: text that does not start with a
 * number is NULL, as in GUFI; text with something after the number (GUFI: an error) is
 * NULL too. See {@link AccountNames} for how names are found.
 */
public final class UidToUser extends GufiScalar<UTF8String> {
  static final UidToUser OF_NUMBER = new UidToUser(DataTypes.LongType);
  static final UidToUser OF_TEXT = new UidToUser(DataTypes.StringType);

  private UidToUser(DataType argument) {
    super("uidtouser", DataTypes.StringType, argument);
  }

  static UidToUser forArgument(DataType type) {
    return type instanceof StringType ? OF_TEXT : OF_NUMBER;
  }

  public static UTF8String invoke(long uid) {
    return IdText.name(uid, AccountNames::user);
  }

  public static UTF8String invoke(UTF8String uid) {
    return IdText.name(uid, AccountNames::user);
  }
}
