# Writes can be previewed, completion is complete (issue 20, point 11).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0

    function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
}

AfterAll { Stop-TestSession $sim }

Describe 'Writes can be previewed' {
    BeforeEach {
        Reset-Sim $sim
        Connect-TestGateway
    }

    It 'Save-SeedreamImage -WhatIf downloads and writes nothing' {
        (Get-Command Save-SeedreamImage).Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Command Save-SeedreamImage).Parameters.Keys | Should -Contain 'Confirm'
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $out = Join-Path (New-TestFolder) 'out'
        $said = $task | Save-SeedreamImage -Path $out -WhatIf 6>&1 | Out-String
        Test-Path $out | Should -BeFalse
        Get-SimCounter $sim 'image' | Should -Be 0
        $task | Save-SeedreamImage -Path $out | Should -HaveCount 1
    }

    It 'Export-SeedreamGallery -WhatIf writes no page' {
        (Get-Command Export-SeedreamGallery).Parameters.Keys | Should -Contain 'WhatIf'
        $page = Join-Path (New-TestFolder) 'index.html'
        New-SeedreamImage -Prompt 'p' -Wait | Save-SeedreamImage -Path (Split-Path $page) | Export-SeedreamGallery -Path $page -WhatIf | Should -BeNullOrEmpty
        Test-Path $page | Should -BeFalse
    }
}

Describe '-Debug shows each request and response without the key' {
    It 'writes the request body and the answer to the debug stream' {
        Reset-Sim $sim
        Connect-TestGateway
        # -Debug is $DebugPreference = 'Continue' for the command (set here, as -Debug may ask to continue in a host).
        $DebugPreference = 'Continue'
        $debug = New-SeedreamImage -Prompt 'a debug fox' -Wait 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        $DebugPreference = 'SilentlyContinue'
        $text = ($debug | ForEach-Object Message) -join "`n"
        $text | Should -Match 'request POST .*/v1/images/generations'
        $text | Should -Match 'a debug fox'
        $text | Should -Match 'response 200'
        $text | Should -Not -Match $sim.ApiKey
        $text | Should -Not -Match 'Bearer'
    }
}

Describe 'Tab completion is complete' {
    It 'completes -PromptPriority by the model given' {
        Complete 'New-SeedreamImage -Gateway EvoLink -Model 4.0 -PromptPriority ' | Should -Be @('standard', 'fast')
        Complete 'New-SeedreamImage -Gateway EvoLink -Model 4.5 -PromptPriority ' | Should -Be @('standard')
    }

    It 'completes -Model with the version words' {
        $words = Complete 'New-SeedreamImage -Gateway EvoLink -Model '
        foreach ($word in '4', '4.0', '4.5', '5.0') { $words | Should -Contain $word }
        Complete 'New-SeedreamImage -Gateway EvoLink -Model 4.' | Should -Be @('4.0', '4.5')
    }

    It 'takes the version word 4 as Seedream 4.0' {
        Reset-Sim $sim
        Connect-TestGateway
        (New-SeedreamImage -Prompt 'p' -Model 4).Model | Should -Be 'doubao-seedream-4.0'
    }

    It 'completes Get-SeedreamModel -Name' {
        Complete 'Get-SeedreamModel -Gateway LinkModel -Name ' | Should -Contain 'seedream-4.5'
        Complete 'Get-SeedreamModel -Name doubao-seedream-5' | Should -Contain 'doubao-seedream-5.0-lite'
    }

    It 'completes -Quality filtered by the model already given' {
        Complete 'New-SeedreamImage -Gateway EvoLink -Model 4.5 -Quality ' | Should -Be @('2K', '4K')
        Connect-TestGateway
        Complete 'New-SeedreamImage -Model 5.0 -Quality ' | Should -Not -Contain '1K'
    }

    It 'completes -FileName templates and tokens, quoted' {
        Complete 'Save-SeedreamImage -FileName ' | Should -Contain "'{Id}-{Index}{Ext}'"
        Complete "Save-SeedreamImage -FileName '{Name}-{In" | Should -Be @("'{Name}-{Index}'")
    }
}

Describe 'Help gives what a user needs' {
    It 'lists the -FileName tokens' {
        $help = (Get-Help Save-SeedreamImage -Parameter FileName | Out-String)
        foreach ($token in '{Id}', '{Index}', '{Number}', '{Ext}', '{Name}') { $help | Should -Match ([regex]::Escape($token)) }
    }

    It 'gives each parameter''s default' -ForEach @(
        @{ Command = 'New-SeedreamImage' }, @{ Command = 'Save-SeedreamImage' }, @{ Command = 'Wait-SeedreamTask' }, @{ Command = 'Get-SeedreamTask' },
        @{ Command = 'Connect-Seedream' }, @{ Command = 'Get-SeedreamModel' }, @{ Command = 'Get-SeedreamUsage' }, @{ Command = 'Get-SeedreamImageInfo' },
        @{ Command = 'Export-SeedreamGallery' }, @{ Command = 'Disconnect-Seedream' }, @{ Command = 'ConvertFrom-SeedreamCallback' }
    ) {
        foreach ($parameter in (Get-Help $Command -Full).parameters.parameter) {
            [string]$parameter.defaultValue | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) of $Command must say its default"
        }
    }
}

Describe 'Remove-Module' {
    It 'forgets the session''s connection' {
        $savedKey = $env:SEEDREAM_API_KEY
        $env:SEEDREAM_API_KEY = $null
        try {
            Connect-TestGateway
            Remove-Module SeedreamPS
            Import-TestModule
            { New-SeedreamImage -Prompt 'p' -WhatIf } | Should -Throw '*No API key*'
        }
        finally { $env:SEEDREAM_API_KEY = $savedKey }
    }
}
