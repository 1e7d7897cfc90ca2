namespace Modular.Platform.Composition.Modules;

/// <summary>The host's configuration cannot work; the message says which key and why, in one line.</summary>
public sealed class ModularConfigurationException(string message) : Exception(message);
