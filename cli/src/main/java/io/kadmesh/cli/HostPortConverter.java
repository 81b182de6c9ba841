package io.kadmesh.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Accepts HOST:PORT (IPv6 hosts in brackets), so that a typo is a usage error, not a dial. */
public final class HostPortConverter implements ITypeConverter<String> {

  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.%\\w]+\\]|[^:\\s\\[\\]]+):(\\d{1,5})");

  @Override
  public String convert(String text) {
    Matcher matcher = HOST_PORT.matcher(text);
    if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65_535) {
      throw new TypeConversionException("invalid address '" + text + "': expected HOST:PORT");
    }
    return text;
  }
}
