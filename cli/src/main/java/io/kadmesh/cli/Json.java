package io.kadmesh.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.util.List;

/** Builds one compact JSON object, fields in the order they are added (Gson underneath). */
final class Json {
  private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  private final JsonObject object = new JsonObject();

  static Json object() {
    return new Json();
  }

  /** A string field; null writes JSON null. */
  Json field(String name, String value) {
    object.add(name, value == null ? JsonNull.INSTANCE : new JsonPrimitive(value));
    return this;
  }

  Json field(String name, long value) {
    object.addProperty(name, value);
    return this;
  }

  Json field(String name, boolean value) {
    object.addProperty(name, value);
    return this;
  }

  /** An unsigned 64-bit number, as the wire's uint64 fields hold. */
  Json unsignedField(String name, long value) {
    object.addProperty(name, new BigInteger(Long.toUnsignedString(value)));
    return this;
  }

  Json field(String name, Json value) {
    object.add(name, value.object);
    return this;
  }

  /** An array of objects, in the list's order. */
  Json field(String name, List<Json> values) {
    JsonArray array = new JsonArray();
    values.forEach(value -> array.add(value.object));
    object.add(name, array);
    return this;
  }

  /** An array of strings, in the list's order. */
  Json strings(String name, List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    object.add(name, array);
    return this;
  }

  @Override
  public String toString() {
    return GSON.toJson(object);
  }
}
