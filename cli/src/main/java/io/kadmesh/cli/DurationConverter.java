package io.kadmesh.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people write them ({@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, {@code
 * 1h30m}, {@code 250ms}) or as ISO-8601 ({@code PT30S}), and writes them back the short way.
 */
public class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String text) {
    return parse(text);
  }

  /** Parses a duration, or throws the usage error picocli reports (exit 2). */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    try {
      if (trimmed.startsWith("P") || trimmed.startsWith("p") || trimmed.startsWith("-P")) {
        return Duration.parse(trimmed);
      }
      if (WHOLE.matcher(trimmed).matches()) {
        return sumOfParts(trimmed);
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      // reported below, with the forms that are accepted
    }
    throw new TypeConversionException(
        "invalid duration '" + text + "': use e.g. 30s, 5m, 2h, 7d or PT30S");
  }

  /** Writes a duration the short way: {@code 10s}, {@code 1h 2m 3s}, {@code 250ms}. */
  public static String format(Duration duration) {
    Duration left = duration.abs();
    List<String> parts = new ArrayList<>();
    addPart(parts, left.toDays(), "d");
    addPart(parts, left.toHoursPart(), "h");
    addPart(parts, left.toMinutesPart(), "m");
    addPart(parts, left.toSecondsPart(), "s");
    if (left.getSeconds() == 0) {
      addPart(parts, left.toMillisPart(), "ms");
    }
    String text = parts.isEmpty() ? "0s" : String.join(" ", parts);
    return duration.isNegative() ? "-" + text : text;
  }

  private static Duration sumOfParts(String text) {
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
              });
    }
    return total;
  }

  private static void addPart(List<String> parts, long amount, String unit) {
    if (amount != 0) {
      parts.add(amount + unit);
    }
  }

  /** The same, for deadlines: zero or negative is a usage error. */
  public static final class Positive extends DurationConverter {
    @Override
    public Duration convert(String text) {
      Duration duration = parse(text);
      if (duration.isNegative() || duration.isZero()) {
        throw new TypeConversionException("invalid duration '" + text + "': must be positive");
      }
      return duration;
    }
  }
}
