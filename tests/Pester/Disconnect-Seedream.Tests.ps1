# Disconnect-Seedream: forgets the connections Connect-Seedream stored, all of them or one gateway's, and leaves the
# environment variables alone.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
}

AfterAll { Stop-TestSession $sim }

Describe 'Disconnect-Seedream' {
    BeforeEach {
        Reset-Sim $sim
        Disconnect-Seedream
        # No key from the environment, so what a call can use is what the session holds.
        $saved = Clear-TestEnvironment
    }
    AfterEach { Restore-TestEnvironment $saved }

    It 'forgets the connection, so the next call asks for a key and sends nothing' {
        Connect-TestGateway
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'EvoLink'
        Disconnect-Seedream
        { New-SeedreamImage -Prompt 'p' } | Should -Throw '*-ApiKey*Connect-Seedream*SEEDREAM_API_KEY*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 1
    }

    It 'forgets every gateway without -Gateway' {
        Connect-TestGateway -Gateway LinkModel
        Connect-TestGateway
        Disconnect-Seedream
        { New-SeedreamImage -Prompt 'p' -Gateway LinkModel } | Should -Throw '*No API key for LinkModel*'
        { New-SeedreamImage -Prompt 'p' -Gateway EvoLink } | Should -Throw '*No API key for EvoLink*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
        Get-SimCounter $sim 'linkmodel.create' | Should -Be 0
    }

    It 'forgets only the gateway given with -Gateway, and the one left becomes the default' {
        Connect-TestGateway -Gateway LinkModel
        Connect-TestGateway
        Disconnect-Seedream -Gateway EvoLink
        { New-SeedreamImage -Prompt 'p' -Gateway EvoLink } | Should -Throw '*No API key for EvoLink*'
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'LinkModel'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'keeps the default gateway when another one is forgotten' {
        Connect-TestGateway -Gateway LinkModel
        Connect-TestGateway
        Disconnect-Seedream -Gateway LinkModel
        { New-SeedreamImage -Prompt 'p' -Gateway LinkModel } | Should -Throw '*No API key for LinkModel*'
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'EvoLink'
    }

    It 'takes a gateway never connected to, and forgets nothing else' {
        Connect-TestGateway
        { Disconnect-Seedream -Gateway ModelArk } | Should -Not -Throw
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'EvoLink'
    }

    It 'leaves the environment variables alone' {
        $env:SEEDREAM_API_KEY = $sim.ApiKey
        $env:SEEDREAM_BASE_URI = $sim.EvoLinkUri
        Connect-TestGateway -Gateway LinkModel
        Disconnect-Seedream
        # Nothing connected: the call falls back to the environment's gateway (EvoLink), key and address.
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'EvoLink'
        $env:SEEDREAM_API_KEY | Should -Be $sim.ApiKey
    }
}
